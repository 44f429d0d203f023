import FHIRCore

/// A parsed JSON text: the input bytes plus a flat, pre-order array of nodes that point into them.
///
/// An object's node is followed by its members as (key node, value subtree) pairs; an array's
/// by its element subtrees. Every node records where its subtree ends, so a reader skips a
/// member in O(1). Strings and numbers are not converted until a model asks for them: a number
/// keeps its exact lexeme, which is what a FHIR `decimal` needs.
final class JSONDocument: @unchecked Sendable {
    enum Kind: UInt8 {
        case object, array, string, number, `true`, `false`, null
    }

    /// One token; 16 bytes (32-bit positions, so a document is at most 2 GiB), which keeps the
    /// node array small and the scan cache-friendly.
    struct Node {
        var kind: Kind
        /// A string that contains backslash escapes (decoded when read).
        var hasEscapes: Bool
        private var storedOffset: UInt32
        private var storedLength: UInt32
        private var storedCount: UInt32
        private var storedEnd: UInt32

        init(kind: Kind, hasEscapes: Bool = false, offset: Int, length: Int = 0, count: Int = 0, end: Int = 0) {
            self.kind = kind
            self.hasEscapes = hasEscapes
            storedOffset = UInt32(truncatingIfNeeded: offset)
            storedLength = UInt32(truncatingIfNeeded: length)
            storedCount = UInt32(truncatingIfNeeded: count)
            storedEnd = UInt32(truncatingIfNeeded: end)
        }

        /// Byte offset where the token starts (for strings: after the opening quote).
        var offset: Int { Int(storedOffset) }
        /// Byte length of a string's content or a number's lexeme.
        var length: Int { Int(storedLength) }
        /// Members of an object or elements of an array.
        var count: Int {
            get { Int(storedCount) }
            set { storedCount = UInt32(truncatingIfNeeded: newValue) }
        }
        /// Index of the first node after this node's subtree.
        var end: Int {
            get { Int(storedEnd) }
            set { storedEnd = UInt32(truncatingIfNeeded: newValue) }
        }
    }

    let bytes: [UInt8]
    var nodes: [Node] = []

    init(bytes: [UInt8]) { self.bytes = bytes }

    /// The text of a string node, with escapes decoded.
    func string(at index: Int) -> String {
        let node = nodes[index]
        return bytes.withUnsafeBufferPointer { buffer in
            let slice = UnsafeBufferPointer(rebasing: buffer[node.offset..<(node.offset + node.length)])
            return node.hasEscapes ? JSONEscapes.unescape(slice) : String(decoding: slice, as: UTF8.self)
        }
    }

    /// The exact source text of a number node.
    func lexeme(at index: Int) -> String {
        let node = nodes[index]
        return String(decoding: bytes[node.offset..<(node.offset + node.length)], as: UTF8.self)
    }

    /// The line and column of a node (computed only when reporting).
    func location(of index: Int) -> SourceLocation {
        var offset = nodes[index].offset
        if nodes[index].kind == .string { offset -= 1 }  // point at the opening quote
        return bytes.withUnsafeBytes { SourceLocation(byteOffset: offset, in: $0) }
    }

    /// The members of an object node as (key, value index) pairs, in document order.
    func members(of index: Int) -> [(key: String, value: Int)] {
        var result: [(key: String, value: Int)] = []
        result.reserveCapacity(nodes[index].count)
        var cursor = index + 1
        for _ in 0..<nodes[index].count {
            let key = string(at: cursor)
            result.append((key, cursor + 1))
            cursor = nodes[cursor + 1].end
        }
        return result
    }

    /// The node indices of an array's elements.
    func elements(of index: Int) -> [Int] {
        var result: [Int] = []
        result.reserveCapacity(nodes[index].count)
        var cursor = index + 1
        for _ in 0..<nodes[index].count {
            result.append(cursor)
            cursor = nodes[cursor].end
        }
        return result
    }

    /// A short name of a node's JSON type, for messages ("a string", "an object").
    func describe(_ index: Int) -> String {
        switch nodes[index].kind {
        case .object: return "an object"
        case .array: return "an array"
        case .string: return "a string"
        case .number: return "the number \(lexeme(at: index))"
        case .true, .false: return "a boolean"
        case .null: return "null"
        }
    }
}
