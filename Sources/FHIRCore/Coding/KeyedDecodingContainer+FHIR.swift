/// Decoding helpers the generated models call. They state FHIR's JSON shape once, so every
/// decoder (JSON, XML) that presents that shape decodes every model.
extension KeyedDecodingContainer where Key == FHIRCodingKey {
    /// Checks that every key of this object is one the model knows.
    ///
    /// Strict decoding throws naming the first unknown element; lenient decoding records each
    /// one in the options' warning sink. Nothing is dropped silently.
    /// - Throws: `DecodingError.dataCorrupted` naming the unknown element.
    public func checkKnownKeys(_ known: Set<String>, decoder: any Decoder) throws {
        for key in allKeys where !known.contains(key.stringValue) {
            let options = decoder.userInfo[.fhirDecodingOptions] as? FHIRDecodingOptions
            if let options, options.unknownElements == .lenient {
                options.warnings.drop(key.stringValue, at: codingPath)
                continue
            }
            throw DecodingError.fhir(
                .unknownElement,
                "unknown element '\(key.stringValue)' (not part of this FHIR R4 type;"
                    + " decode leniently to drop it with a warning)",
                at: codingPath + [key])
        }
    }

    /// Checks that at most one of a choice element's variants is present.
    /// - Parameters:
    ///   - element: the choice's name with its `[x]`, e.g. `value[x]`.
    ///   - variants: the JSON names of its variants, with their `_name` forms for primitives.
    /// - Throws: `DecodingError.dataCorrupted` naming the variants found.
    public func checkSingleChoice(_ element: String, variants: [String]) throws {
        var found: [String] = []
        for variant in variants where contains(FHIRCodingKey(variant)) {
            let name = variant.hasPrefix("_") ? String(variant.dropFirst()) : variant
            if !found.contains(name) { found.append(name) }
        }
        if found.count > 1 {
            throw DecodingError.fhir(
                .multipleChoices,
                "more than one choice of \(element): \(found.joined(separator: ", ")) (a [x] element takes exactly one type)",
                at: codingPath + [FHIRCodingKey(found[1])])
        }
    }

    /// Decodes a primitive element from `name` (its value) and `_name` (its id and extensions).
    public func decodePrimitive<Value>(
        _ type: Value.Type, forKey key: String, metadataKey: String
    ) throws -> FHIRPrimitive<Value>? {
        let value = try decodeIfPresent(Value.self, forKey: FHIRCodingKey(key))
        let metadata = try decodeIfPresent(PrimitiveMetadata.self, forKey: FHIRCodingKey(metadataKey))
        if value == nil && metadata == nil { return nil }
        return FHIRPrimitive(value, id: metadata?.id, extension: metadata?.extension ?? [])
    }

    /// Decodes a repeating primitive from the index-aligned arrays `name` and `_name`, where
    /// `null` fills the holes (`"given": ["A", null]`, `"_given": [null, {"id": "x"}]`).
    /// - Throws: `DecodingError.dataCorrupted` when the two arrays differ in length or both hold
    ///   `null` at the same index.
    public func decodePrimitiveArray<Value>(
        _ type: Value.Type, forKey key: String, metadataKey: String
    ) throws -> [FHIRPrimitive<Value>] {
        let values = try decodeIfPresent([Value?].self, forKey: FHIRCodingKey(key))
        let metadata = try decodeIfPresent([PrimitiveMetadata?].self, forKey: FHIRCodingKey(metadataKey))
        if let values, let metadata, values.count != metadata.count {
            throw DecodingError.fhir(
                .invalidValue,
                "'\(metadataKey)' has \(metadata.count) entries but '\(key)' has \(values.count);"
                    + " the two arrays must line up index by index",
                at: codingPath + [FHIRCodingKey(metadataKey)])
        }
        let count = values?.count ?? metadata?.count ?? 0
        var result: [FHIRPrimitive<Value>] = []
        result.reserveCapacity(count)
        for index in 0..<count {
            let value = values?[index] ?? nil
            let meta = metadata?[index] ?? nil
            if value == nil && meta == nil {
                throw DecodingError.fhir(
                    .unexpectedNull,
                    "'\(key)[\(index)]' is null in both '\(key)' and '\(metadataKey)';"
                        + " a null is only allowed where the other array has an entry",
                    at: codingPath + [FHIRCodingKey(key), FHIRCodingKey.index(index)])
            }
            result.append(FHIRPrimitive(value, id: meta?.id, extension: meta?.extension ?? []))
        }
        return result
    }

    /// Decodes a repeating complex element; absent means empty.
    public func decodeArray<Element: Decodable>(_ type: Element.Type, forKey key: String) throws -> [Element] {
        try decodeIfPresent([Element].self, forKey: FHIRCodingKey(key)) ?? []
    }

    /// Decodes a single complex element into a ``Box``.
    public func decodeBoxed<Element: Decodable & Hashable & Sendable>(
        _ type: Element.Type, forKey key: String
    ) throws -> Box<Element>? {
        try decodeIfPresent(Element.self, forKey: FHIRCodingKey(key)).map(Box.init)
    }

    /// Decodes a plain string element that is not a FHIR primitive (`Element.id`, `Extension.url`).
    public func decodeString(forKey key: String) throws -> String? {
        try decodeIfPresent(String.self, forKey: FHIRCodingKey(key))
    }

    /// Reads `resourceType` and checks that it names the type being decoded.
    /// - Throws: `DecodingError` when it is missing or names another type.
    public func checkResourceType(_ expected: String) throws {
        let found = try decodeResourceType()
        guard found == expected else {
            throw DecodingError.fhir(
                .invalidValue, "resourceType is '\(found)' but '\(expected)' was expected",
                at: codingPath + [FHIRCodingKey("resourceType")])
        }
    }
}

/// Encoding helpers the generated models call, mirroring the decoding helpers.
extension KeyedEncodingContainer where Key == FHIRCodingKey {
    /// Encodes a primitive as `name` (its value) and, when it has an id or extensions, `_name`.
    public mutating func encodePrimitive<Value>(
        _ primitive: FHIRPrimitive<Value>?, forKey key: String, metadataKey: String
    ) throws {
        guard let primitive else { return }
        try encodeIfPresent(primitive.value, forKey: FHIRCodingKey(key))
        if primitive.hasMetadata {
            try encode(PrimitiveMetadata(id: primitive.id, extension: primitive.extension),
                       forKey: FHIRCodingKey(metadataKey))
        }
    }

    /// Encodes a repeating primitive as index-aligned `name` and `_name` arrays with `null` holes;
    /// an array is left out when it would hold only nulls.
    public mutating func encodePrimitiveArray<Value>(
        _ primitives: [FHIRPrimitive<Value>], forKey key: String, metadataKey: String
    ) throws {
        guard !primitives.isEmpty else { return }
        if primitives.contains(where: { $0.value != nil }) {
            try encode(primitives.map(\.value), forKey: FHIRCodingKey(key))
        }
        if primitives.contains(where: \.hasMetadata) {
            let metadata = primitives.map { $0.hasMetadata ? PrimitiveMetadata(id: $0.id, extension: $0.extension) : nil }
            try encode(metadata, forKey: FHIRCodingKey(metadataKey))
        }
    }

    /// Encodes a repeating element; an empty array is left out (FHIR forbids empty arrays).
    public mutating func encodeArray<Element: Encodable>(_ elements: [Element], forKey key: String) throws {
        if !elements.isEmpty { try encode(elements, forKey: FHIRCodingKey(key)) }
    }

    /// Encodes a boxed single complex element.
    public mutating func encodeBoxed<Element: Encodable>(_ box: Box<Element>?, forKey key: String) throws {
        if let box { try encode(box.value, forKey: FHIRCodingKey(key)) }
    }

}
