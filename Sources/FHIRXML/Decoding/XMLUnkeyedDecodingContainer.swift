import FHIRCore

/// The elements of a repeated FHIR element (`<given>` twice), one array item each.
///
/// A `nil` item is an element without the asked-for part: no `value` attribute for a
/// repeating primitive's values, no `id` and no extensions for its `_name` metadata.
struct XMLUnkeyedDecodingContainer: UnkeyedDecodingContainer {
    let decoder: XMLNodeDecoder
    private(set) var currentIndex = 0

    init(decoder: XMLNodeDecoder) { self.decoder = decoder }

    var codingPath: [any CodingKey] { decoder.codingPath }
    var count: Int? { decoder.elements.count }
    var isAtEnd: Bool { currentIndex >= decoder.elements.count }

    private func current() throws -> XMLElement {
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(
                Any.self,
                DecodingError.Context(
                    codingPath: codingPath + [FHIRCodingKey.index(currentIndex)],
                    debugDescription: "no more '\(decoder.name)' elements"))
        }
        return decoder.elements[currentIndex]
    }

    mutating func decodeNil() throws -> Bool {
        let element = try current()
        let isNil = decoder.isMetadata ? !element.hasPrimitiveMetadata : element.attribute("value") == nil
        if isNil { currentIndex += 1 }
        return isNil
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        let element = try current()
        let itemDecoder = XMLNodeDecoder(
            elements: [element], name: decoder.name, isMetadata: decoder.isMetadata, state: decoder.state,
            codingPath: codingPath + [FHIRCodingKey.index(currentIndex)])
        let value = try T(from: itemDecoder)
        currentIndex += 1
        return value
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws
        -> KeyedDecodingContainer<NestedKey>
    {
        let element = try current()
        let itemDecoder = XMLNodeDecoder(
            elements: [element], name: decoder.name, isMetadata: decoder.isMetadata, state: decoder.state,
            codingPath: codingPath + [FHIRCodingKey.index(currentIndex)])
        currentIndex += 1
        return try itemDecoder.container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        throw DecodingError.typeMismatch(
            [Any].self,
            DecodingError.Context(
                codingPath: codingPath, debugDescription: "FHIR XML has no arrays of arrays"))
    }

    mutating func superDecoder() throws -> any Decoder {
        let element = try current()
        currentIndex += 1
        return XMLNodeDecoder(
            elements: [element], name: decoder.name, isMetadata: decoder.isMetadata,
            state: decoder.state, codingPath: codingPath + [FHIRCodingKey.index(currentIndex - 1)])
    }
}
