import FHIRCore

/// The coding path as a linked list, built as the decoder descends and turned into an array
/// only when someone asks (errors, warnings), so the happy path allocates one node per level.
indirect enum CodingPathNode: Sendable {
    case root
    case key(String, CodingPathNode)
    case index(Int, CodingPathNode)

    var path: [any CodingKey] {
        var keys: [any CodingKey] = []
        var node = self
        while true {
            switch node {
            case .root: return keys.reversed()
            case .key(let name, let parent): keys.append(FHIRCodingKey(name)); node = parent
            case .index(let index, let parent): keys.append(FHIRCodingKey.index(index)); node = parent
            }
        }
    }

    func appending(_ key: any CodingKey) -> CodingPathNode {
        if let index = key.intValue { return .index(index, self) }
        return .key(key.stringValue, self)
    }
}

/// A model-facing `Decoder` over one node of a ``JSONDocument``.
///
/// FHIR JSON rules it enforces as the models read: no empty objects, arrays or strings; no
/// `null` except as a hole in a primitive array; each primitive in its own JSON type.
struct JSONNodeDecoder: Decoder {
    let document: JSONDocument
    let index: Int
    let pathNode: CodingPathNode
    let userInfo: [CodingUserInfoKey: Any]

    var codingPath: [any CodingKey] { pathNode.path }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard document.nodes[index].kind == .object else { throw typeMismatch("an object") }
        guard document.nodes[index].count > 0 else {
            throw failure(.emptyValue, "empty object: FHIR JSON does not allow {} (leave the element out instead)")
        }
        return KeyedDecodingContainer(JSONKeyedContainer<Key>(decoder: self))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard document.nodes[index].kind == .array else { throw typeMismatch("an array") }
        guard document.nodes[index].count > 0 else {
            throw failure(.emptyValue, "empty array: FHIR JSON does not allow [] (leave the element out instead)")
        }
        return JSONUnkeyedContainer(decoder: self)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { JSONSingleValueContainer(decoder: self) }

    func child(_ index: Int, key: any CodingKey) -> JSONNodeDecoder {
        JSONNodeDecoder(document: document, index: index, pathNode: pathNode.appending(key), userInfo: userInfo)
    }

    // MARK: Errors

    func failure(_ code: FHIRDiagnostic.Code, _ message: String) -> DecodingError {
        .fhir(code, message, at: codingPath)
    }

    func typeMismatch(_ expected: String) -> DecodingError {
        let name = codingPath.last.map { "'\($0.intValue.map { "[\($0)]" } ?? $0.stringValue)'" } ?? "the document"
        return failure(.wrongType, "expected \(expected) for \(name), found \(document.describe(index))")
    }

    // MARK: Scalars

    func decodeString() throws -> String {
        guard document.nodes[index].kind == .string else { throw typeMismatch("a string") }
        guard document.nodes[index].length > 0 else {
            throw failure(.emptyValue, "empty string: FHIR JSON does not allow \"\" (leave the element out instead)")
        }
        return document.string(at: index)
    }

    func decodeBool() throws -> Bool {
        switch document.nodes[index].kind {
        case .true: return true
        case .false: return false
        default: throw typeMismatch("a boolean (true or false)")
        }
    }

    func decodeNumberLexeme() throws -> String {
        guard document.nodes[index].kind == .number else { throw typeMismatch("a number") }
        return document.lexeme(at: index)
    }

    func decodeInteger<T: FixedWidthInteger>(_ type: T.Type) throws -> T {
        let text = try decodeNumberLexeme()
        guard let value = T(text) else {
            if text.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }) {
                throw failure(
                    .wrongType, "expected an integer, found \(text) (FHIR integers have no fraction or exponent)")
            }
            throw failure(.invalidNumber, "\(text) does not fit in \(T.self)")
        }
        return value
    }
}

struct JSONKeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let decoder: JSONNodeDecoder
    private let members: [(key: String, value: Int)]

    init(decoder: JSONNodeDecoder) {
        self.decoder = decoder
        members = decoder.document.members(of: decoder.index)
    }

    var codingPath: [any CodingKey] { decoder.codingPath }

    var allKeys: [Key] { members.compactMap { Key(stringValue: $0.key) } }

    func contains(_ key: Key) -> Bool { valueIndex(key) != nil }

    private func valueIndex(_ key: Key) -> Int? {
        let name = key.stringValue
        for member in members where member.key == name { return member.value }
        return nil
    }

    private func child(_ key: Key) throws -> JSONNodeDecoder {
        guard let index = valueIndex(key) else {
            throw DecodingError.keyNotFound(
                key,
                DecodingError.Context(
                    codingPath: codingPath, debugDescription: "missing '\(key.stringValue)'"))
        }
        return decoder.child(index, key: key)
    }

    /// FHIR JSON never has `null` as an object member's value.
    func decodeNil(forKey key: Key) throws -> Bool {
        let child = try child(key)
        if decoder.document.nodes[child.index].kind == .null {
            throw child.failure(
                .unexpectedNull,
                "'\(key.stringValue)' is null: FHIR JSON leaves an absent element out instead")
        }
        return false
    }

    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try child(key).decodeBool() }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try child(key).decodeString() }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double {
        try JSONSingleValueContainer(decoder: child(key)).decode(type)
    }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float {
        try JSONSingleValueContainer(decoder: child(key)).decode(type)
    }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try child(key).decodeInteger(type) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try child(key).decodeInteger(type) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try child(key).decodeInteger(type) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try child(key).decodeInteger(type) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try child(key).decodeInteger(type) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try child(key).decodeInteger(type) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try child(key).decodeInteger(type) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try child(key).decodeInteger(type) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try child(key).decodeInteger(type) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try child(key).decodeInteger(type) }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try T(from: child(key))
    }

    func nestedContainer<NestedKey: CodingKey>(
        keyedBy type: NestedKey.Type, forKey key: Key
    ) throws -> KeyedDecodingContainer<NestedKey> {
        try child(key).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try child(key).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder { decoder }
    func superDecoder(forKey key: Key) throws -> any Decoder { try child(key) }
}

struct JSONUnkeyedContainer: UnkeyedDecodingContainer {
    let decoder: JSONNodeDecoder
    private let elements: [Int]
    private(set) var currentIndex = 0

    init(decoder: JSONNodeDecoder) {
        self.decoder = decoder
        elements = decoder.document.elements(of: decoder.index)
    }

    var codingPath: [any CodingKey] { decoder.codingPath }
    var count: Int? { elements.count }
    var isAtEnd: Bool { currentIndex >= elements.count }

    private mutating func next() throws -> JSONNodeDecoder {
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(
                Any.self,
                DecodingError.Context(
                    codingPath: codingPath, debugDescription: "the array has only \(elements.count) elements"))
        }
        defer { currentIndex += 1 }
        return decoder.child(elements[currentIndex], key: FHIRCodingKey.index(currentIndex))
    }

    /// Nulls are read here only for holes in primitive arrays (`[String?]`); other element types
    /// decode through `decode(_:)`, where a null is a type error.
    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd else { return false }
        if decoder.document.nodes[elements[currentIndex]].kind == .null {
            currentIndex += 1
            return true
        }
        return false
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try T(from: next()) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<
        NestedKey
    > {
        try next().container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer { try next().unkeyedContainer() }

    mutating func superDecoder() throws -> any Decoder { try next() }
}

struct JSONSingleValueContainer: FHIRSingleValueDecodingContainer {
    let decoder: JSONNodeDecoder

    var codingPath: [any CodingKey] { decoder.codingPath }

    func decodeNil() -> Bool { decoder.document.nodes[decoder.index].kind == .null }
    func decode(_ type: Bool.Type) throws -> Bool { try decoder.decodeBool() }
    func decode(_ type: String.Type) throws -> String { try decoder.decodeString() }

    func decode(_ type: Double.Type) throws -> Double {
        guard let value = Double(try decoder.decodeNumberLexeme()) else { throw decoder.typeMismatch("a number") }
        return value
    }

    func decode(_ type: Float.Type) throws -> Float { Float(try decode(Double.self)) }
    func decode(_ type: Int.Type) throws -> Int { try decoder.decodeInteger(type) }
    func decode(_ type: Int8.Type) throws -> Int8 { try decoder.decodeInteger(type) }
    func decode(_ type: Int16.Type) throws -> Int16 { try decoder.decodeInteger(type) }
    func decode(_ type: Int32.Type) throws -> Int32 { try decoder.decodeInteger(type) }
    func decode(_ type: Int64.Type) throws -> Int64 { try decoder.decodeInteger(type) }
    func decode(_ type: UInt.Type) throws -> UInt { try decoder.decodeInteger(type) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try decoder.decodeInteger(type) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try decoder.decodeInteger(type) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try decoder.decodeInteger(type) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try decoder.decodeInteger(type) }
    func decode<T: Decodable>(_ type: T.Type) throws -> T { try T(from: decoder) }

    func decodeDecimalText() throws -> String {
        guard decoder.document.nodes[decoder.index].kind == .number else {
            throw decoder.typeMismatch("a JSON number (a FHIR decimal is written unquoted)")
        }
        return decoder.document.lexeme(at: decoder.index)
    }

    func decodeXHTML() throws -> String { try decoder.decodeString() }
}
