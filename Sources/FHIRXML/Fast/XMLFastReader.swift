import FHIRCore

/// The fast path's reader over an ``XMLFastDocument`` (see `FHIRFastReader`).
///
/// Members of an element are first its `id` attribute (and `url` on an extension), then its
/// child elements; the generated models check specification order through ``order(_:repeats:)``.
/// It gives up on anything the Codable path might treat differently: attributes FHIR does not
/// define there, a resource wrapper with more than the resource, empty values.
final class XMLFastReader: FHIRFastReader {
    // The stored `var`s marked `@exclusivity(unchecked)` are this object's hot state: one decode
    // or encode owns it on one thread, so Swift's run-time check of exclusive access (a call on
    // every write) is turned off for them.

    private struct Frame {
        var end: Int
        var lastOrdinal = -1
        var pendingID = XMLFastDocument.Span.absent
        var pendingURL = XMLFastDocument.Span.absent
    }

    private let nodes: UnsafeMutablePointer<XMLFastDocument.Node>
    private let arena: UnsafePointer<UInt8>
    @exclusivity(unchecked) private var cursor = 0
    private let frames: UnsafeMutablePointer<Frame>
    @exclusivity(unchecked) private var depth = 0
    private let maxDepth: Int
    /// Set when the current member is an attribute: its value.
    @exclusivity(unchecked) private var attribute = XMLFastDocument.Span.absent
    @exclusivity(unchecked) private(set) var name: FHIRName
    private let strings: FHIRStringCache

    let isXML = true

    private init(_ document: XMLFastDocument, strings: FHIRStringCache) {
        self.strings = strings
        nodes = document.nodes.base
        arena = UnsafePointer(document.arena.base)
        maxDepth = document.nodes.count + 1
        frames = .allocate(capacity: maxDepth)
        name = FHIRName(start: arena, count: 0)
    }

    deinit { frames.deallocate() }

    /// Decodes `type` from the document's root element, or returns nil when the fast path gives up.
    static func decode<T>(_ type: T.Type, from document: XMLFastDocument) -> T? {
        if type == AnyResource.self {
            return read(AnyResource.self, from: document).map { unsafeBitCast($0, to: T.self) }
        }
        guard let fastType = type as? any FHIRFastCodable.Type else { return nil }
        func decode<F: FHIRFastCodable>(_ fast: F.Type) -> T? {
            read(F.self, from: document).map { unsafeBitCast($0, to: T.self) }  // F is T, opened from the metatype
        }
        return decode(fastType)
    }

    private static func read<F: FHIRFastCodable>(_ type: F.Type, from document: XMLFastDocument) -> F? {
        FHIRStringCache.withCache { strings in
            withExtendedLifetime(document) { try? F(fhirFast: XMLFastReader(document, strings: strings)) }
        }
    }

    // MARK: Nodes

    @inline(__always) private func text(_ span: XMLFastDocument.Span) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: arena + Int(span.start), count: Int(span.length))
    }

    /// Whether two spans hold the same bytes: the same span for a name the parser stored once,
    /// or names compared in a loop (the generic `elementsEqual` cost ten times as much).
    @inline(__always) private func sameBytes(_ lhs: XMLFastDocument.Span, _ rhs: XMLFastDocument.Span) -> Bool {
        guard lhs.length == rhs.length else { return false }
        if lhs.start == rhs.start { return true }
        for offset in 0..<Int(lhs.length) where arena[Int(lhs.start) + offset] != arena[Int(rhs.start) + offset] {
            return false
        }
        return true
    }

    @inline(__always) private func nameOf(_ node: XMLFastDocument.Node) -> FHIRName {
        FHIRName(start: arena + Int(node.name.start), count: Int(node.name.length))
    }

    /// Resource elements are UpperCamel, FHIR elements lowerCamel.
    @inline(__always) private func isResource(_ node: XMLFastDocument.Node) -> Bool {
        let first = arena[Int(node.name.start)]
        return first >= UInt8(ascii: "A") && first <= UInt8(ascii: "Z")
    }

    @inline(__always) private func push(_ frame: Frame) throws(FHIRFastBail) {
        guard depth < maxDepth else { throw FHIRFastBail() }
        frames[depth] = frame
        depth += 1
    }

    /// The element the current member is; an attribute member is not one.
    @inline(__always) private func element() throws(FHIRFastBail) -> XMLFastDocument.Node {
        guard !attribute.isPresent else { throw FHIRFastBail() }
        let node = nodes[cursor]
        guard node.namespace == .fhir else { throw FHIRFastBail() }
        return node
    }

    /// Steps from a wrapper (`<contained>`) to the one resource element inside it.
    private func unwrap() throws(FHIRFastBail) -> XMLFastDocument.Node {
        let node = try element()
        if isResource(node) { return node }
        let inner = cursor + 1
        guard !node.hasAnyAttribute, inner < Int(node.end), Int(nodes[inner].end) == Int(node.end) else {
            throw FHIRFastBail()
        }
        cursor = inner
        let resource = try element()
        guard isResource(resource) else { throw FHIRFastBail() }
        return resource
    }

    // MARK: Structure

    func order(_ ordinal: Int, repeats: Bool) throws(FHIRFastBail) {
        let last = frames[depth - 1].lastOrdinal
        guard ordinal > last || (ordinal == last && repeats) else { throw FHIRFastBail() }
        frames[depth - 1].lastOrdinal = ordinal
    }

    func enterObject() throws(FHIRFastBail) {
        let node = try element()
        guard !node.value.isPresent, !node.hasOtherAttribute, !isResource(node) else { throw FHIRFastBail() }
        let elementName = nameOf(node)
        let isExtension = elementName.equals("extension") || elementName.equals("modifierExtension")
        guard isExtension || !node.url.isPresent else { throw FHIRFastBail() }
        try push(Frame(end: Int(node.end), pendingID: node.id, pendingURL: isExtension ? node.url : .absent))
        cursor += 1
    }

    func enterResource(_ type: StaticString) throws(FHIRFastBail) {
        let node = try unwrap()
        guard nameOf(node).equals(type), !node.value.isPresent, !node.id.isPresent, !node.url.isPresent,
            !node.hasOtherAttribute
        else { throw FHIRFastBail() }
        try push(Frame(end: Int(node.end)))
        cursor += 1
    }

    func resourceType() throws(FHIRFastBail) -> FHIRName { nameOf(try unwrap()) }

    func nextMember() throws(FHIRFastBail) -> Bool {
        let top = depth - 1
        if frames[top].pendingID.isPresent {
            attribute = frames[top].pendingID
            frames[top].pendingID = .absent
            name = FHIRName(start: ("id" as StaticString).utf8Start, count: 2)
            return true
        }
        if frames[top].pendingURL.isPresent {
            attribute = frames[top].pendingURL
            frames[top].pendingURL = .absent
            name = FHIRName(start: ("url" as StaticString).utf8Start, count: 3)
            return true
        }
        attribute = .absent
        if cursor == frames[top].end {
            depth -= 1
            return false
        }
        name = nameOf(nodes[cursor])
        return true
    }

    func skipResourceType() throws(FHIRFastBail) { throw FHIRFastBail() }

    /// The elements of the same name in a row from the cursor: read as one repeating member, so
    /// that its array is allocated once (appended one at a time, it was regrown: 0.3% of
    /// converting XML to JSON). After each item the cursor is on the next.
    func beginRepeating() throws(FHIRFastBail) -> Int {
        guard !attribute.isPresent else { return 1 }
        let first = nodes[cursor].name
        let parentEnd = frames[depth - 1].end
        var count = 1
        var next = Int(nodes[cursor].end)
        while next < parentEnd {
            let name = nodes[next].name
            guard sameBytes(name, first) else { break }
            count += 1
            next = Int(nodes[next].end)
        }
        return count
    }

    func skipNull() -> Bool { false }

    // MARK: Values

    /// The current primitive element's `value` attribute (nil when absent; empty is refused).
    @inline(__always) private func valueText() throws(FHIRFastBail) -> UnsafeBufferPointer<UInt8>? {
        let node = try element()
        guard node.value.isPresent else { return nil }
        guard node.value.length > 0 else { throw FHIRFastBail() }
        return text(node.value)
    }

    func string() throws(FHIRFastBail) -> String? {
        guard let value = try valueText() else { return nil }
        return strings.string(value)
    }

    func bool() throws(FHIRFastBail) -> Bool? {
        guard let value = try valueText() else { return nil }
        if value.count == 4 && value.elementsEqual("true".utf8) { return true }
        if value.count == 5 && value.elementsEqual("false".utf8) { return false }
        throw FHIRFastBail()
    }

    /// FHIR's integer grammar, `-?([0]|([1-9][0-9]*))`, within 32 bits.
    func int32() throws(FHIRFastBail) -> Int32? {
        guard let value = try valueText() else { return nil }
        var index = 0
        let negative = value[0] == UInt8(ascii: "-")
        if negative { index = 1 }
        guard index < value.count, value.count - index <= 10,
            value[index] != UInt8(ascii: "0") || value.count - index == 1
        else { throw FHIRFastBail() }
        var magnitude: Int64 = 0
        while index < value.count {
            let digit = value[index] &- UInt8(ascii: "0")
            guard digit < 10 else { throw FHIRFastBail() }
            magnitude = magnitude * 10 + Int64(digit)
            index += 1
        }
        guard let result = Int32(exactly: negative ? -magnitude : magnitude) else { throw FHIRFastBail() }
        return result
    }

    func decimal() throws(FHIRFastBail) -> FHIRDecimal? {
        guard let value = try valueText() else { return nil }
        let text = String(decoding: value, as: UTF8.self)
        guard FHIRDecimal.isValid(text) else { throw FHIRFastBail() }
        return FHIRDecimal(checkedText: text)
    }

    func enterPrimitive() throws(FHIRFastBail) {
        let node = try element()
        guard !node.url.isPresent, !node.hasOtherAttribute, !isResource(node) else { throw FHIRFastBail() }
        try push(Frame(end: Int(node.end), pendingID: node.id))
        cursor += 1
    }

    func plainString() throws(FHIRFastBail) -> String {
        guard attribute.isPresent, attribute.length > 0 else { throw FHIRFastBail() }
        return strings.string(text(attribute))
    }

    func xhtml() throws(FHIRFastBail) -> String {
        guard !attribute.isPresent else { throw FHIRFastBail() }
        let node = nodes[cursor]
        guard node.namespace == .xhtml, node.xhtml.isPresent else { throw FHIRFastBail() }
        cursor = Int(node.end)
        return String(decoding: text(node.xhtml), as: UTF8.self)
    }
}
