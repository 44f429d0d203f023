/// Recognizes narrative XHTML already in the form the XML writers would give it, so it can be
/// copied into the output as it is instead of parsed and serialized again.
///
/// The form is what `XMLSerializer` writes for a parsed `div`: the root exactly
/// `<div xmlns="http://www.w3.org/1999/xhtml"`, then plain ASCII names, attributes as ` name="…"`
/// with no namespaces, empty elements as `<x/>` (never `<x></x>`), and only the escapes the
/// serializer writes (`&amp; &lt; &gt; &#13;` in text, also `&quot; &#10; &#9;` in attributes).
/// Anything else (comments, CDATA, other entities, prefixes, raw `>` or carriage returns, a
/// character XML 1.0 cannot carry) is not recognized, and the caller parses the text instead,
/// which also reports what is not well-formed. Recognized text is well-formed by construction.
struct XHTMLCanonicalForm {
    private let bytes: UnsafeBufferPointer<UInt8>
    private var index = 0
    /// The open elements' names (start, length), innermost last.
    private var open: [(Int, Int)] = []
    /// The deepest nesting recognized, the root counting as 1.
    private let maxDepth: Int

    private static let root = Array(#"<div xmlns="http://www.w3.org/1999/xhtml""#.utf8)
    private static let maxBytes = 1 << 20
    static let defaultMaxDepth = 128

    private init(_ bytes: UnsafeBufferPointer<UInt8>, maxDepth: Int) {
        self.bytes = bytes
        self.maxDepth = maxDepth
    }

    /// Whether `text` is a narrative `div` in the writers' form, nested at most `maxDepth`
    /// elements deep.
    static func recognizes(_ text: String, maxDepth: Int = defaultMaxDepth) -> Bool {
        text.utf8.withContiguousStorageIfAvailable { bytes in
            guard bytes.count <= maxBytes, bytes.starts(with: root) else { return false }
            var form = XHTMLCanonicalForm(bytes, maxDepth: maxDepth)
            form.open.reserveCapacity(8)
            form.open.append((1, 3))
            form.index = root.count
            return form.element(isRoot: true)
        } ?? false
    }

    @inline(__always) private var current: UInt8? { index < bytes.count ? bytes[index] : nil }

    private static func isNameStart(_ byte: UInt8) -> Bool {
        (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z") || byte == UInt8(ascii: "_")
    }

    private static func isNameByte(_ byte: UInt8) -> Bool {
        isNameStart(byte) || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
            || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
    }

    /// A name at `index`; returns its length (0 when there is none).
    private mutating func name() -> Int {
        let start = index
        guard let first = current, Self.isNameStart(first) else { return 0 }
        index += 1
        while let byte = current, Self.isNameByte(byte) { index += 1 }
        return index - start
    }

    /// `&…;` at `index`, one of the escapes the serializer writes.
    private mutating func escape(inAttribute: Bool) -> Bool {
        let allowed: [String] =
            inAttribute
            ? ["&amp;", "&lt;", "&gt;", "&#13;", "&quot;", "&#10;", "&#9;"] : ["&amp;", "&lt;", "&gt;", "&#13;"]
        for entity in allowed {
            let utf8 = Array(entity.utf8)
            if index + utf8.count <= bytes.count && bytes[index..<(index + utf8.count)].elementsEqual(utf8) {
                index += utf8.count
                return true
            }
        }
        return false
    }

    /// A character of text or of an attribute value, other than markup; `false` for one the
    /// serializer would escape or XML cannot carry.
    private mutating func character(inAttribute: Bool) -> Bool {
        guard let byte = current else { return false }
        switch byte {
        case UInt8(ascii: "&"): return escape(inAttribute: inAttribute)
        case UInt8(ascii: ">"), 0x0D, 0x00..<0x09, 0x0B, 0x0C, 0x0E..<0x20: return false
        case 0x09, 0x0A: if inAttribute { return false }
        case 0xEF:  // U+FFFE and U+FFFF are not XML characters
            if index + 2 < bytes.count && bytes[index + 1] == 0xBF && bytes[index + 2] >= 0xBE { return false }
        default: break
        }
        index += 1  // the bytes of a multi-byte character pass one by one (a Swift string is valid UTF-8)
        return true
    }

    /// The rest of a start tag after its name (`index` past the name, or past the root's
    /// namespace), then the element's content and end tag.
    private mutating func element(isRoot: Bool) -> Bool {
        var names: [ArraySlice<UInt8>] = []
        while current == UInt8(ascii: " ") {
            index += 1
            let start = index
            let length = name()
            guard length > 0 else { return false }
            let attribute = bytes[start..<(start + length)]
            guard !attribute.elementsEqual("xmlns".utf8), !names.contains(where: { $0.elementsEqual(attribute) })
            else { return false }
            names.append(ArraySlice(attribute))
            guard current == UInt8(ascii: "="), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "\"") else {
                return false
            }
            index += 2
            while let byte = current, byte != UInt8(ascii: "\"") {
                guard byte != UInt8(ascii: "<"), character(inAttribute: true) else { return false }
            }
            guard current == UInt8(ascii: "\"") else { return false }
            index += 1
        }
        if current == UInt8(ascii: "/") {
            guard index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: ">") else { return false }
            index += 2
            open.removeLast()
            return isRoot ? index == bytes.count : true
        }
        guard current == UInt8(ascii: ">") else { return false }
        index += 1
        var hasContent = false
        while let byte = current {
            guard byte == UInt8(ascii: "<") else {
                guard character(inAttribute: false) else { return false }
                hasContent = true
                continue
            }
            index += 1
            if current == UInt8(ascii: "/") {
                // The end tag of this element, which must have had content (else it is `<x/>`).
                index += 1
                let start = index
                let length = name()
                let (openStart, openLength) = open.removeLast()
                guard hasContent, length == openLength, current == UInt8(ascii: ">"),
                    bytes[start..<(start + length)].elementsEqual(bytes[openStart..<(openStart + openLength)])
                else { return false }
                index += 1
                return isRoot ? index == bytes.count : true
            }
            let start = index
            let length = name()
            guard length > 0, open.count < maxDepth else { return false }
            open.append((start, length))
            guard element(isRoot: false) else { return false }
            hasContent = true
        }
        return false
    }
}
