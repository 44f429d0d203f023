import FHIRCore

/// A FHIR XML document as the SAX pass leaves it: the FHIR elements in document order (each
/// knowing where its subtree ends), and one arena holding their names, their `value`, `id` and
/// `url` attributes, and each narrative `div` already serialized as XHTML text.
///
/// Nothing in it points into libxml2, which is gone by the time the fast reader walks it.
final class XMLFastDocument {
    /// Bytes in ``XMLFastDocument/arena``; `start < 0` means absent.
    struct Span {
        var start: Int32
        var length: Int32
        static let absent = Span(start: -1, length: 0)
        @inline(__always) var isPresent: Bool { start >= 0 }
    }

    enum Namespace: UInt8 {
        /// `http://hl7.org/fhir`.
        case fhir
        /// A narrative `div` in `http://www.w3.org/1999/xhtml`, its subtree in ``Node/xhtml``.
        case xhtml
    }

    struct Node {
        var name: Span
        var value = Span.absent
        var id = Span.absent
        var url = Span.absent
        /// The serialized narrative of an XHTML `div`.
        var xhtml = Span.absent
        /// The index of the first node after this element's subtree.
        var end: Int32 = 0
        var namespace: Namespace
        /// A non-namespaced attribute other than `value`, `id`, `url`.
        var hasOtherAttribute = false
        /// Any attribute at all, namespaced ones included (a resource wrapper may have none).
        var hasAnyAttribute = false

        init(name: Span, namespace: Namespace) {
            self.name = name
            self.namespace = namespace
        }
    }

    /// Where a node's start tag is, as the DOM parse reports it (see `XMLStartTagLocator`).
    struct Position {
        var line: Int32
        var column: Int32
    }

    let nodes: UnsafeList<Node>
    let arena: OutputBytes
    /// Each node's position, parallel to ``nodes``, when the parse was asked for them (the
    /// element model's reader); empty otherwise.
    let positions: UnsafeList<Position>
    /// Where each narrative `div` lies in the document as given (from its `<` to past its last
    /// `>`), by its node's index, when positions were asked for.
    var narrativeSources: [Int: Swift.Range<Int>] = [:]

    init(nodeCapacity: Int = 64, arenaCapacity: Int = 4096, positionCapacity: Int = 64) {
        nodes = UnsafeList(capacity: nodeCapacity)
        arena = OutputBytes(capacity: arenaCapacity)
        positions = UnsafeList(capacity: positionCapacity)
    }

    /// A copy with room for what it holds and no more, for a document kept a while (a streamed
    /// Bundle entry's, until its patient's records are validated), where the room a parse grows
    /// in would be most of it.
    func compacted() -> XMLFastDocument {
        let copy = XMLFastDocument(
            nodeCapacity: max(nodes.count, 1), arenaCapacity: max(arena.count, 1),
            positionCapacity: max(positions.count, 1))
        for index in 0..<nodes.count { copy.nodes.append(nodes[index]) }
        copy.arena.append(UnsafeBufferPointer(start: arena.base, count: arena.count))
        for index in 0..<positions.count { copy.positions.append(positions[index]) }
        copy.narrativeSources = narrativeSources
        return copy
    }

    /// Empties the document for another parse, keeping its room.
    func removeAll() {
        nodes.removeAll()
        arena.removeAll()
        positions.removeAll()
        if !narrativeSources.isEmpty { narrativeSources.removeAll(keepingCapacity: true) }
    }

    /// The size of its larger buffer (see `PerThreadSpare`).
    var bytesHeld: Int { max(arena.capacity, nodes.capacity * MemoryLayout<Node>.stride) }

    /// Appends bytes to the arena and returns where they are.
    @inline(__always) func store(_ bytes: UnsafeBufferPointer<UInt8>) -> Span { Self.store(bytes, in: arena) }

    /// Appends bytes to `arena` (a document's) and returns where they are.
    @inline(__always) static func store(_ bytes: UnsafeBufferPointer<UInt8>, in arena: OutputBytes) -> Span {
        let start = arena.count
        arena.append(bytes)
        return Span(start: Int32(start), length: Int32(bytes.count))
    }
}

/// A growable array in raw memory, for the per-element hot paths (no copy-on-write checks).
final class UnsafeList<Element> {
    // The stored `var`s marked `@exclusivity(unchecked)` are this object's hot state: one decode
    // or encode owns it on one thread, so Swift's run-time check of exclusive access (a call on
    // every write) is turned off for them.

    @exclusivity(unchecked) private(set) var base: UnsafeMutablePointer<Element>
    @exclusivity(unchecked) private(set) var count = 0
    @exclusivity(unchecked) private(set) var capacity: Int

    init(capacity: Int = 64) {
        self.capacity = capacity
        base = .allocate(capacity: capacity)
    }

    deinit {
        base.deinitialize(count: count)
        base.deallocate()
    }

    @inline(__always) func append(_ element: Element) {
        if count == capacity {
            let newBase = UnsafeMutablePointer<Element>.allocate(capacity: capacity * 2)
            newBase.moveInitialize(from: base, count: count)
            base.deallocate()
            base = newBase
            capacity *= 2
        }
        (base + count).initialize(to: element)
        count += 1
    }

    /// Removes every element, keeping the room (for a list used again).
    func removeAll() {
        base.deinitialize(count: count)
        count = 0
    }

    @inline(__always) subscript(index: Int) -> Element {
        get { base[index] }
        set { base[index] = newValue }
    }
}
