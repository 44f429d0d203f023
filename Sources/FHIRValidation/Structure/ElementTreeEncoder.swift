import FHIRCore

/// Encodes a model into an ``ElementNode`` tree, through the models' own `Encodable`
/// conformance, so the tree has exactly the elements the wire formats would write.
enum ElementTreeEncoder {
    /// The tree of `value`.
    static func tree(of value: some Encodable) throws -> ElementNode {
        let root = NodeBuilder()
        try value.encode(to: TreeEncoder(builder: root, codingPath: []))
        return root.node
    }
}

/// A node under construction; containers hand out children and fill them in place.
/// Members and elements are kept in their own arrays so appending stays amortised O(1).
private final class NodeBuilder {
    enum Kind { case empty, object, array, value }

    var kind = Kind.empty
    var members: [(String, NodeBuilder)] = []
    var elements: [NodeBuilder] = []
    var value = ElementNode.null

    var node: ElementNode {
        switch kind {
        case .empty: return .null
        case .object: return .object(members.map { ($0.0, $0.1.node) })
        case .array: return .array(elements.map(\.node))
        case .value: return value
        }
    }

    func set(_ value: ElementNode) {
        kind = .value
        self.value = value
    }

    func appendMember(_ key: String) -> NodeBuilder {
        let child = NodeBuilder()
        kind = .object
        members.append((key, child))
        return child
    }

    func appendElement() -> NodeBuilder {
        let child = NodeBuilder()
        kind = .array
        elements.append(child)
        return child
    }
}

private struct TreeEncoder: Encoder {
    let builder: NodeBuilder
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        if builder.kind == .empty { builder.kind = .object }
        return KeyedEncodingContainer(KeyedTreeContainer<Key>(builder: builder, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        if builder.kind == .empty { builder.kind = .array }
        return UnkeyedTreeContainer(builder: builder, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        SingleValueTreeContainer(builder: builder, codingPath: codingPath)
    }
}

private struct KeyedTreeContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let builder: NodeBuilder
    let codingPath: [any CodingKey]

    mutating func encodeNil(forKey key: Key) throws { builder.appendMember(key.stringValue).set(.null) }
    mutating func encode(_ value: Bool, forKey key: Key) throws { set(.boolean(value), key) }
    mutating func encode(_ value: String, forKey key: Key) throws { set(.string(value), key) }
    mutating func encode(_ value: Double, forKey key: Key) throws { set(.decimal(String(value)), key) }
    mutating func encode(_ value: Float, forKey key: Key) throws { set(.decimal(String(value)), key) }
    mutating func encode(_ value: Int, forKey key: Key) throws { set(.integer(Int64(value)), key) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { set(.integer(Int64(value)), key) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { set(.integer(Int64(value)), key) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { set(.integer(Int64(value)), key) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { set(.integer(value), key) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { set(.integer(Int64(clamping: value)), key) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { set(.integer(Int64(value)), key) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { set(.integer(Int64(value)), key) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { set(.integer(Int64(value)), key) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { set(.integer(Int64(clamping: value)), key) }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        let child = builder.appendMember(key.stringValue)
        try value.encode(to: TreeEncoder(builder: child, codingPath: codingPath + [key]))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy keyType: NestedKey.Type, forKey key: Key
    ) -> KeyedEncodingContainer<NestedKey> {
        let child = builder.appendMember(key.stringValue)
        child.kind = .object
        return KeyedEncodingContainer(KeyedTreeContainer<NestedKey>(builder: child, codingPath: codingPath + [key]))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let child = builder.appendMember(key.stringValue)
        child.kind = .array
        return UnkeyedTreeContainer(builder: child, codingPath: codingPath + [key])
    }

    mutating func superEncoder() -> any Encoder {
        TreeEncoder(builder: builder.appendMember("super"), codingPath: codingPath)
    }
    mutating func superEncoder(forKey key: Key) -> any Encoder {
        TreeEncoder(builder: builder.appendMember(key.stringValue), codingPath: codingPath + [key])
    }

    private func set(_ value: ElementNode, _ key: Key) { builder.appendMember(key.stringValue).set(value) }
}

private struct UnkeyedTreeContainer: UnkeyedEncodingContainer {
    let builder: NodeBuilder
    let codingPath: [any CodingKey]
    var count: Int {
        builder.elements.count
    }

    mutating func encodeNil() throws { builder.appendElement().set(.null) }
    mutating func encode(_ value: Bool) throws { builder.appendElement().set(.boolean(value)) }
    mutating func encode(_ value: String) throws { builder.appendElement().set(.string(value)) }
    mutating func encode(_ value: Int32) throws { builder.appendElement().set(.integer(Int64(value))) }
    mutating func encode(_ value: Int) throws { builder.appendElement().set(.integer(Int64(value))) }

    mutating func encode<T: Encodable>(_ value: T) throws {
        let child = builder.appendElement()
        try value.encode(to: TreeEncoder(builder: child, codingPath: codingPath))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<
        NestedKey
    > {
        let child = builder.appendElement()
        child.kind = .object
        return KeyedEncodingContainer(KeyedTreeContainer<NestedKey>(builder: child, codingPath: codingPath))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let child = builder.appendElement()
        child.kind = .array
        return UnkeyedTreeContainer(builder: child, codingPath: codingPath)
    }

    mutating func superEncoder() -> any Encoder {
        TreeEncoder(builder: builder.appendElement(), codingPath: codingPath)
    }
}

/// Writes one value; FHIR decimals and narrative arrive through ``FHIRSingleValueEncodingContainer``,
/// so a decimal keeps its text.
private struct SingleValueTreeContainer: FHIRSingleValueEncodingContainer {
    let builder: NodeBuilder
    let codingPath: [any CodingKey]

    mutating func encodeDecimalText(_ text: String) throws { builder.set(.decimal(text)) }
    mutating func encodeXHTML(_ xhtml: String) throws { builder.set(.string(xhtml)) }

    mutating func encodeNil() throws { builder.set(.null) }
    mutating func encode(_ value: Bool) throws { builder.set(.boolean(value)) }
    mutating func encode(_ value: String) throws { builder.set(.string(value)) }
    mutating func encode(_ value: Double) throws { builder.set(.decimal(String(value))) }
    mutating func encode(_ value: Float) throws { builder.set(.decimal(String(value))) }
    mutating func encode(_ value: Int) throws { builder.set(.integer(Int64(value))) }
    mutating func encode(_ value: Int8) throws { builder.set(.integer(Int64(value))) }
    mutating func encode(_ value: Int16) throws { builder.set(.integer(Int64(value))) }
    mutating func encode(_ value: Int32) throws { builder.set(.integer(Int64(value))) }
    mutating func encode(_ value: Int64) throws { builder.set(.integer(value)) }
    mutating func encode(_ value: UInt) throws { builder.set(.integer(Int64(clamping: value))) }
    mutating func encode(_ value: UInt8) throws { builder.set(.integer(Int64(value))) }
    mutating func encode(_ value: UInt16) throws { builder.set(.integer(Int64(value))) }
    mutating func encode(_ value: UInt32) throws { builder.set(.integer(Int64(value))) }
    mutating func encode(_ value: UInt64) throws { builder.set(.integer(Int64(clamping: value))) }
    mutating func encode<T: Encodable>(_ value: T) throws {
        try value.encode(to: TreeEncoder(builder: builder, codingPath: codingPath))
    }
}
