public import FHIRCore

/// A read-only view of a JSON value inside one parsed record, for readers that pick a few
/// members out of a record without decoding it into a model: streaming validation's first pass
/// reads each record's references this way.
///
/// ```swift
/// let record = try JSONRecordView(parsing: bytes, limits: .default)
/// let subject = record.member("subject")?.member("reference")?.string
/// ```
public struct JSONRecordView {
    private let document: JSONDocument
    private let node: Int

    /// Parses one JSON document within `limits`.
    /// - Throws: ``FHIRDiagnostic`` when the bytes are not JSON (or are past a limit).
    public init(parsing bytes: [UInt8], limits: FHIRReadLimits) throws(FHIRDiagnostic) {
        document = try JSONScanner.parse(bytes, limits: limits)
        node = 0
    }

    private init(_ document: JSONDocument, _ node: Int) {
        self.document = document
        self.node = node
    }

    /// The value of the member `name`, when this is an object that has one (the first, should
    /// the object repeat a key).
    public func member(_ name: String) -> JSONRecordView? {
        guard document.nodes[node].kind == .object else { return nil }
        var key = node + 1
        for _ in 0..<document.nodes[node].count {
            if isKey(key, name) { return JSONRecordView(document, key + 1) }
            key = document.nodes[key + 1].end
        }
        return nil
    }

    /// The values of the member `name`: the items of an array, or the one value; none when
    /// absent.
    public func values(_ name: String) -> [JSONRecordView] {
        guard let value = member(name) else { return [] }
        guard document.nodes[value.node].kind == .array else { return [value] }
        var items: [JSONRecordView] = []
        var item = value.node + 1
        for _ in 0..<document.nodes[value.node].count {
            items.append(JSONRecordView(document, item))
            item = document.nodes[item].end
        }
        return items
    }

    /// The text of a string value; nil for any other value.
    public var string: String? {
        document.nodes[node].kind == .string ? document.string(at: node) : nil
    }

    /// Whether the key node at `key` is `name`, compared as bytes (a key with escapes decoded).
    private func isKey(_ key: Int, _ name: String) -> Bool {
        let keyNode = document.nodes[key]
        if keyNode.hasEscapes { return document.string(at: key) == name }
        guard keyNode.length == name.utf8.count else { return false }
        return document.bytes.withUnsafeBufferPointer { bytes in
            name.utf8.elementsEqual(bytes[keyNode.offset..<(keyNode.offset + keyNode.length)])
        }
    }
}
