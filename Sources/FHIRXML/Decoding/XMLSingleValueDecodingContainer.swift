import FHIRCore

/// A primitive element's `value` attribute, or the narrative `div` subtree as XHTML text.
struct XMLSingleValueDecodingContainer: FHIRSingleValueDecodingContainer {
    let element: XMLElement
    let name: String
    /// Whether this reads a primitive's `_name` part (a `nil` item is then one without id
    /// and extensions, whatever its value).
    let isMetadata: Bool
    let state: XMLDecodingState
    let codingPath: [any CodingKey]

    /// The `value` attribute, which FHIR requires to be non-empty when present.
    private func valueText() throws -> String {
        guard let value = element.attribute("value") else {
            throw DecodingError.valueNotFound(
                String.self,
                DecodingError.Context(
                    codingPath: codingPath,
                    debugDescription: "\(element.described) has no value attribute"))
        }
        guard !value.isEmpty else {
            throw DecodingError.fhir(
                .emptyValue, "\(element.described) has an empty value attribute; FHIR leaves out empty values",
                at: codingPath)
        }
        return value
    }

    func decodeNil() -> Bool { isMetadata ? !element.hasPrimitiveMetadata : element.attribute("value") == nil }

    func decode(_ type: Bool.Type) throws -> Bool {
        switch try valueText() {
        case "true": return true
        case "false": return false
        case let text:
            throw DecodingError.fhir(
                .invalidPrimitive, "'\(text)' is not a valid FHIR boolean: expected true or false", at: codingPath)
        }
    }

    func decode(_ type: String.Type) throws -> String { try valueText() }

    func decode(_ type: Int32.Type) throws -> Int32 {
        let text = try valueText()
        var digits = text.utf8[...]
        if digits.first == UInt8(ascii: "-") { digits = digits.dropFirst() }
        // FHIR's integer grammar: -?([0]|([1-9][0-9]*)); Int32's parser would also take "+1" and "007".
        let wellFormed =
            !digits.isEmpty && digits.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
            && (digits.count == 1 || digits.first != UInt8(ascii: "0"))
        guard wellFormed, let value = Int32(text) else {
            throw DecodingError.fhir(
                .invalidPrimitive,
                "'\(text)' is not a valid FHIR integer: expected digits with an optional '-', no leading zeros,"
                    + " between -2147483648 and 2147483647",
                at: codingPath)
        }
        return value
    }

    func decodeDecimalText() throws -> String { try valueText() }

    func decodeXHTML() throws -> String {
        guard element.namespace == XMLNamespace.xhtml, element.name == "div" else {
            throw DecodingError.fhir(
                .invalidValue,
                "narrative \(element.described) must be an XHTML <div xmlns=\"\(XMLNamespace.xhtml)\">",
                at: codingPath)
        }
        var serializer = XMLSerializer(pretty: false)
        serializer.write(element, inheritedNamespace: nil, depth: 0)
        return String(decoding: serializer.bytes, as: UTF8.self)
    }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        if type == String.self { return try decode(String.self) as! T }
        if type == Bool.self { return try decode(Bool.self) as! T }
        if type == Int32.self { return try decode(Int32.self) as! T }
        return try T(
            from: XMLNodeDecoder(
                elements: [element], name: name, isMetadata: isMetadata,
                state: state,
                codingPath: codingPath))
    }

    private func unsupported<T>(_ type: T.Type) -> DecodingError {
        .typeMismatch(
            type,
            DecodingError.Context(
                codingPath: codingPath, debugDescription: "FHIR primitives are never \(type)"))
    }

    func decode(_ type: Double.Type) throws -> Double { throw unsupported(type) }
    func decode(_ type: Float.Type) throws -> Float { throw unsupported(type) }
    func decode(_ type: Int.Type) throws -> Int { throw unsupported(type) }
    func decode(_ type: Int8.Type) throws -> Int8 { throw unsupported(type) }
    func decode(_ type: Int16.Type) throws -> Int16 { throw unsupported(type) }
    func decode(_ type: Int64.Type) throws -> Int64 { throw unsupported(type) }
    func decode(_ type: UInt.Type) throws -> UInt { throw unsupported(type) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { throw unsupported(type) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { throw unsupported(type) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { throw unsupported(type) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { throw unsupported(type) }
}
