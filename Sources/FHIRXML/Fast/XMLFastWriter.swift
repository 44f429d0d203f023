import FHIRCore

/// The fast path's writer: compact FHIR XML straight into bytes (see `FHIRFastWriter`).
///
/// It writes what the Codable path's tree and serializer write: the same elements, attributes
/// in the same order, the same escapes, the narrative re-serialized; an element that ends up with
/// nothing in it is left out, as there. It bails where that path would throw (an empty value, a
/// character XML 1.0 cannot carry, a narrative that is not well-formed XHTML).
final class XMLFastWriter: FHIRFastWriter {
    // The stored `var`s marked `@exclusivity(unchecked)` are this object's hot state: one decode
    // or encode owns it on one thread, so Swift's run-time check of exclusive access (a call on
    // every write) is turned off for them.

    private enum State: UInt8 {
        /// Begun but nothing written yet: left out if it stays empty.
        case pending
        /// `<name` written; attributes may follow.
        case startTag
        /// `<name …>` and children written.
        case content
    }

    private struct Element {
        var name: StaticString
        var state: State
    }

    private let out = OutputBytes()
    /// The begun elements, innermost last (raw storage: see `OutputBytes` on why).
    @exclusivity(unchecked) private var stack: UnsafeMutablePointer<Element>
    @exclusivity(unchecked) private var capacity = 32
    @exclusivity(unchecked) private var depth = 0
    /// The elements below this index are written (their start tag at least).
    @exclusivity(unchecked) private var written = 0

    let isXML = true

    /// Whether the document's root may be an element that is not a resource (a Bundle entry).
    @exclusivity(unchecked) private var elementRoot = false
    /// Whether the root element declares the FHIR namespace (not when the bytes go inside an
    /// element that already does, such as a Bundle written entry by entry).
    @exclusivity(unchecked) private var declaresNamespace = true

    private init() { stack = .allocate(capacity: capacity) }

    deinit { stack.deallocate() }

    /// One writer is kept per thread and used again (see `PerThreadSpare`).
    private static let spare = PerThreadSpare<XMLFastWriter>()

    /// Runs `body` with a writer, new or used, ready for a document.
    private static func withWriter(
        elementRoot: Bool = false, declaresNamespace: Bool = true, _ body: (XMLFastWriter) -> [UInt8]?
    ) -> [UInt8]? {
        let writer = spare.take() ?? XMLFastWriter()
        defer { spare.give(writer, holding: writer.out.capacity) }
        writer.out.removeAll()
        writer.depth = 0
        writer.written = 0
        writer.elementRoot = elementRoot
        writer.declaresNamespace = declaresNamespace
        if !elementRoot { writer.out.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>") }
        return body(writer)
    }

    /// Encodes a resource as an XML document, or returns nil when the fast path gives up.
    static func encode<T>(_ value: T) -> [UInt8]? {
        if T.self == AnyResource.self { return write(unsafeBitCast(value, to: AnyResource.self)) }
        guard T.self is any FHIRResource.Type, let fastType = T.self as? any FHIRFastCodable.Type else { return nil }
        func encode<F: FHIRFastCodable>(_ fast: F.Type) -> [UInt8]? {
            write(unsafeBitCast(value, to: F.self))  // T is F, opened from the metatype
        }
        return encode(fastType)
    }

    /// Writes a model as the root element `name` (`<entry xmlns="http://hl7.org/fhir">…`, or
    /// `<entry>…` without `declaresNamespace`), with no XML declaration, or returns nil when the
    /// fast path gives up.
    static func encodeElement(_ name: StaticString, _ model: some FHIRFastCodable,
                              declaresNamespace: Bool = true) -> [UInt8]? {
        withWriter(elementRoot: true, declaresNamespace: declaresNamespace) { writer in
            do {
                try writer.beginObject(name)
                try model.fhirFastWrite(to: writer)
                try writer.endObject(name)
            } catch {
                return nil
            }
            return writer.out.bytes
        }
    }

    private static func write(_ model: some FHIRFastCodable) -> [UInt8]? {
        withWriter { writer in
            do {
                try model.fhirFastWrite(to: writer)
            } catch {
                return nil
            }
            return writer.out.bytes
        }
    }

    // MARK: Elements

    /// Writes the start tags of every begun element not yet written, closing each parent's.
    @inline(__always) private func materialize() {
        while written < depth {
            if written > 0 && stack[written - 1].state == .startTag {
                out.append(UInt8(ascii: ">"))
                stack[written - 1].state = .content
            }
            out.append(UInt8(ascii: "<"))
            out.append(stack[written].name)
            if written == 0 && declaresNamespace { out.append(" xmlns=\"http://hl7.org/fhir\"") }
            stack[written].state = .startTag
            written += 1
        }
    }

    /// Closes the innermost start tag before content.
    @inline(__always) private func beginContent() {
        materialize()
        if depth > 0 && stack[depth - 1].state == .startTag {
            out.append(UInt8(ascii: ">"))
            stack[depth - 1].state = .content
        }
    }

    private func begin(_ name: StaticString) {
        if depth == capacity {
            let grown = UnsafeMutablePointer<Element>.allocate(capacity: capacity * 2)
            grown.moveInitialize(from: stack, count: depth)
            stack.deallocate()
            stack = grown
            capacity *= 2
        }
        (stack + depth).initialize(to: Element(name: name, state: .pending))
        depth += 1
    }

    private func end() {
        depth -= 1
        let element = stack[depth]
        guard depth < written else { return }  // never written: left out
        written = depth
        switch element.state {
        case .startTag: out.append("/>")
        case .content, .pending:
            out.append("</")
            out.append(element.name)
            out.append(UInt8(ascii: ">"))
        }
    }

    /// ` name="value"` on the innermost element, which must still have its start tag open.
    private func attribute(_ name: StaticString, _ value: String) throws(FHIRFastBail) {
        try openAttribute(name)
        try appendEscaped(value)
        out.append(UInt8(ascii: "\""))
    }

    /// ` name="` on the innermost element; the caller writes the value and the closing quote.
    @inline(__always) private func openAttribute(_ name: StaticString) throws(FHIRFastBail) {
        materialize()
        guard depth > 0, stack[depth - 1].state == .startTag else { throw FHIRFastBail() }
        out.append(UInt8(ascii: " "))
        out.append(name)
        out.append("=\"")
    }

    /// `XMLSerializer`'s attribute escaping, refusing what `checkWritable` refuses: an empty
    /// value, C0 controls other than tab, line feed and carriage return, U+FFFE and U+FFFF.
    private func appendEscaped(_ value: String) throws(FHIRFastBail) {
        let written = value.utf8.withContiguousStorageIfAvailable { Self.appendEscaped($0, to: out) }
            ?? Array(value.utf8).withUnsafeBufferPointer { Self.appendEscaped($0, to: out) }
        guard written else { throw FHIRFastBail() }
    }

    /// Writes an attribute value escaped into `out` (also for the element model's writer).
    /// Returns `false`, having written part of it, when the text cannot be written.
    static func appendEscaped(_ bytes: UnsafeBufferPointer<UInt8>, to out: OutputBytes) -> Bool {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return false }
        // Most values need no escape at all: check eight bytes at a time for any byte that does
        // (& < > " controls, and 0xEF, which starts U+FFFE and U+FFFF).
        @inline(__always) func needsEscape(at offset: Int) -> Bool {
            let word = UInt64(littleEndian: UnsafeRawPointer(base + offset).loadUnaligned(as: UInt64.self))
            let special = hasByte(word, 0x26) | hasByte(word, 0x3C) | hasByte(word, 0x3E) | hasByte(word, 0x22)
                | hasByte(word, 0xEF) | ((word &- 0x2020_2020_2020_2020) & ~word & 0x8080_8080_8080_8080)
            return special != 0
        }
        var clean = 0
        while clean + 8 <= bytes.count, !needsEscape(at: clean) { clean += 8 }
        // The last few bytes as the eight that end the value (overlapping those checked).
        if clean < bytes.count, clean + 8 > bytes.count, bytes.count >= 8, !needsEscape(at: bytes.count - 8) {
            clean = bytes.count
        }
        var runStart = 0
        for index in clean..<bytes.count {
            let byte = bytes[index]
            let escape: StaticString
            switch byte {
            case UInt8(ascii: "&"): escape = "&amp;"
            case UInt8(ascii: "<"): escape = "&lt;"
            case UInt8(ascii: ">"): escape = "&gt;"
            case UInt8(ascii: "\""): escape = "&quot;"
            case 0x0D: escape = "&#13;"
            case 0x0A: escape = "&#10;"
            case 0x09: escape = "&#9;"
            case 0x00..<0x20: return false
            case 0xEF where index + 2 < bytes.count && bytes[index + 1] == 0xBF && bytes[index + 2] >= 0xBE:
                return false  // U+FFFE, U+FFFF
            default: continue
            }
            out.append(UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
            out.append(escape)
            runStart = index + 1
        }
        out.append(UnsafeBufferPointer(rebasing: bytes[runStart..<bytes.count]))
        return true
    }

    /// Non-zero when some byte of `word` equals `byte`.
    @inline(__always) private static func hasByte(_ word: UInt64, _ byte: UInt8) -> UInt64 {
        let x = word ^ (0x0101_0101_0101_0101 &* UInt64(byte))
        return (x &- 0x0101_0101_0101_0101) & ~x & 0x8080_8080_8080_8080
    }

    // MARK: FHIRFastWriter

    func beginResource(_ type: StaticString) throws(FHIRFastBail) {
        begin(type)
        materialize()
    }

    func endResource(_ type: StaticString) throws(FHIRFastBail) { end() }

    func beginResourceSlot(_ name: StaticString) throws(FHIRFastBail) { begin(name) }

    func endResourceSlot(_ name: StaticString) throws(FHIRFastBail) { end() }

    func beginObject(_ name: StaticString) throws(FHIRFastBail) {
        guard depth > 0 || elementRoot else { throw FHIRFastBail() }  // an XML document holds a resource
        begin(name)
    }

    func endObject(_ name: StaticString) throws(FHIRFastBail) { end() }

    func beginArray(_ name: StaticString) throws(FHIRFastBail) {}

    func endArray(_ name: StaticString) {}

    func plainString(_ name: StaticString, _ value: String) throws(FHIRFastBail) {
        try attribute(name, value)
    }

    func primitive(_ name: StaticString, _ metadataName: StaticString, _ value: FHIRFastScalar?,
                   id: String?, extension: [Extension]) throws(FHIRFastBail) {
        guard value != nil || id != nil || !`extension`.isEmpty else { return }
        begin(name)
        switch value {
        case .string(let text)?, .decimal(let text)?: try attribute("value", text)
        case .bool(let flag)?:
            try openAttribute("value")
            flag ? out.append("true\"") : out.append("false\"")
        case .integer(let number)?:
            try openAttribute("value")
            out.append(number)
            out.append(UInt8(ascii: "\""))
        case nil: break
        }
        try FHIRFast.writeMetadata(self, id: id, extension: `extension`)
        end()
    }

    func arrayItem(_ value: FHIRFastScalar?) throws(FHIRFastBail) { throw FHIRFastBail() }

    func arrayNull() {}

    /// The narrative: as it is when already in the form the serializer writes, else parsed with
    /// the hardened parser (as the Codable path does) and written as an XHTML subtree.
    func xhtml(_ name: StaticString, _ text: String) throws(FHIRFastBail) {
        if XHTMLCanonicalForm.recognizes(text) {
            beginContent()
            out.appendString(text)
            return
        }
        guard let div = XMLNarrative.parse(text) else { throw FHIRFastBail() }
        beginContent()
        div.withUnsafeBufferPointer { out.append($0) }
    }
}
