import FHIRCore

/// The fast path's reader over a scanned ``JSONDocument`` (see `FHIRFastReader`).
///
/// The document's node array is pre-order with subtree ends, so the cursor is a node index and
/// each object on the way down is remembered by the index where it ends. Anything outside the
/// common case (an escaped key, a null, an empty object or string, a type mismatch) bails.
final class JSONFastReader: FHIRFastReader {
    // The stored `var`s marked `@exclusivity(unchecked)` are this object's hot state: one decode
    // or encode owns it on one thread, so Swift's run-time check of exclusive access (a call on
    // every write) is turned off for them.

    private let bytes: UnsafePointer<UInt8>
    private let nodes: UnsafePointer<JSONDocument.Node>
    @exclusivity(unchecked) private var cursor = 0
    /// Where each entered object ends, innermost last (at most ``maxDepth``).
    private let ends: UnsafeMutablePointer<Int>
    @exclusivity(unchecked) private var depth = 0
    private static let maxDepth = 128
    @exclusivity(unchecked) private(set) var name: FHIRName
    private let strings: FHIRStringCache

    let isXML = false

    private init(bytes: UnsafePointer<UInt8>, nodes: UnsafePointer<JSONDocument.Node>, strings: FHIRStringCache) {
        self.strings = strings
        self.bytes = bytes
        self.nodes = nodes
        name = FHIRName(start: bytes, count: 0)
        ends = .allocate(capacity: Self.maxDepth)
    }

    deinit { ends.deallocate() }

    /// Decodes `type` from the document's root, or returns nil when the fast path gives up.
    static func decode<T>(_ type: T.Type, from document: JSONDocument) -> T? {
        if type == AnyResource.self {
            // The common case, without a conformance lookup.
            return read(AnyResource.self, from: document).map { unsafeBitCast($0, to: T.self) }
        }
        guard let fastType = type as? any FHIRFastCodable.Type else { return nil }
        func decode<F: FHIRFastCodable>(_ fast: F.Type) -> T? {
            read(F.self, from: document).map { unsafeBitCast($0, to: T.self) }  // F is T, opened from the metatype
        }
        return decode(fastType)
    }

    private static func read<F: FHIRFastCodable>(_ type: F.Type, from document: JSONDocument) -> F? {
        document.bytes.withUnsafeBufferPointer { bytes in
            document.nodes.withUnsafeBufferPointer { nodes in
                guard let bytesBase = bytes.baseAddress, let nodesBase = nodes.baseAddress else { return nil }
                return FHIRStringCache.withCache { strings in
                    try? F(fhirFast: JSONFastReader(bytes: bytesBase, nodes: nodesBase, strings: strings))
                }
            }
        }
    }

    @inline(__always) private var node: JSONDocument.Node { nodes[cursor] }

    func order(_ ordinal: Int, repeats: Bool) {}

    func enterObject() throws(FHIRFastBail) {
        let object = node
        guard object.kind == .object, object.count > 0, depth < Self.maxDepth else { throw FHIRFastBail() }
        ends[depth] = object.end
        depth += 1
        cursor += 1
    }

    func enterResource(_ type: StaticString) throws(FHIRFastBail) {
        guard try resourceType().equals(type) else { throw FHIRFastBail() }
        try enterObject()
    }

    func resourceType() throws(FHIRFastBail) -> FHIRName {
        let object = node
        guard object.kind == .object else { throw FHIRFastBail() }
        var key = cursor + 1
        while key < object.end {
            let keyNode = nodes[key]
            if keyNode.length == 12 && !keyNode.hasEscapes
                && FHIRName(start: bytes + keyNode.offset, count: 12).equals("resourceType")
            {
                let value = nodes[key + 1]
                guard value.kind == .string, !value.hasEscapes, value.length > 0 else { throw FHIRFastBail() }
                return FHIRName(start: bytes + value.offset, count: value.length)
            }
            key = nodes[key + 1].end
        }
        throw FHIRFastBail()
    }

    func nextMember() throws(FHIRFastBail) -> Bool {
        if cursor == ends[depth - 1] {
            depth -= 1
            return false
        }
        let key = node
        guard !key.hasEscapes else { throw FHIRFastBail() }
        name = FHIRName(start: bytes + key.offset, count: key.length)
        cursor += 1
        return true
    }

    func skipResourceType() {
        cursor = node.end
    }

    func beginRepeating() throws(FHIRFastBail) -> Int {
        let array = node
        guard array.kind == .array, array.count > 0 else { throw FHIRFastBail() }
        cursor += 1
        return array.count
    }

    func skipNull() -> Bool {
        guard node.kind == .null else { return false }
        cursor += 1
        return true
    }

    func string() throws(FHIRFastBail) -> String? {
        let value = node
        guard value.kind == .string, value.length > 0 else { throw FHIRFastBail() }
        cursor += 1
        let buffer = UnsafeBufferPointer(start: bytes + value.offset, count: value.length)
        return value.hasEscapes ? JSONEscapes.unescape(buffer) : strings.string(buffer)
    }

    func bool() throws(FHIRFastBail) -> Bool? {
        switch node.kind {
        case .true:
            cursor += 1
            return true
        case .false:
            cursor += 1
            return false
        default:
            throw FHIRFastBail()
        }
    }

    /// An integer lexeme (`-?digits`, as the scanner checked it) that fits in 32 bits.
    func int32() throws(FHIRFastBail) -> Int32? {
        let value = node
        guard value.kind == .number else { throw FHIRFastBail() }
        var index = value.offset
        let end = value.offset + value.length
        let negative = bytes[index] == UInt8(ascii: "-")
        if negative { index += 1 }
        var magnitude: Int64 = 0
        while index < end {
            let digit = bytes[index] &- UInt8(ascii: "0")
            guard digit < 10, magnitude < 1 << 32 else { throw FHIRFastBail() }  // '.', 'e', or too long
            magnitude = magnitude * 10 + Int64(digit)
            index += 1
        }
        let result = negative ? -magnitude : magnitude
        guard let integer = Int32(exactly: result) else { throw FHIRFastBail() }
        cursor += 1
        return integer
    }

    func decimal() throws(FHIRFastBail) -> FHIRDecimal? {
        let value = node
        guard value.kind == .number else { throw FHIRFastBail() }
        cursor += 1
        // The scanner held the lexeme to JSON's number grammar, which is FHIR's decimal grammar.
        return FHIRDecimal(
            checkedText: String(
                decoding: UnsafeBufferPointer(start: bytes + value.offset, count: value.length),
                as: UTF8.self))
    }

    func enterPrimitive() throws(FHIRFastBail) { throw FHIRFastBail() }

    func plainString() throws(FHIRFastBail) -> String {
        guard let text = try string() else { throw FHIRFastBail() }
        return text
    }

    func xhtml() throws(FHIRFastBail) -> String { try plainString() }
}
