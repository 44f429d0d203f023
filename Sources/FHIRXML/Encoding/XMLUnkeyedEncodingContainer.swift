import FHIRCore

/// Writes an array as repeated sibling elements with the array's name.
///
/// For a repeating primitive, `nil` in the values array still writes an element (it carries
/// only an id or extensions, which the `_name` array adds); in the `_name` array, item `i` goes
/// into the `i`-th element the values wrote, and `nil` writes nothing.
struct XMLUnkeyedEncodingContainer: UnkeyedEncodingContainer {
    let encoder: XMLNodeEncoder
    private(set) var count = 0

    init(encoder: XMLNodeEncoder) { self.encoder = encoder }

    var codingPath: [any CodingKey] { encoder.codingPath }

    private func itemSlot() -> XMLEncodingSlot {
        if encoder.isMetadata && count < encoder.existing.count {
            return XMLEncodingSlot(existing: encoder.existing[count])
        }
        return encoder.slot.sibling()
    }

    mutating func encodeNil() throws {
        if !encoder.isMetadata { _ = itemSlot().materialize() }
        count += 1
    }

    mutating func encode<T: Encodable>(_ value: T) throws {
        let item = XMLNodeEncoder(
            slot: itemSlot(), isMetadata: encoder.isMetadata, existing: [],
            codingPath: codingPath + [FHIRCodingKey.index(count)])
        count += 1
        try value.encode(to: item)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type)
        -> KeyedEncodingContainer<NestedKey>
    {
        let item = XMLNodeEncoder(
            slot: itemSlot(), isMetadata: encoder.isMetadata, existing: [],
            codingPath: codingPath + [FHIRCodingKey.index(count)])
        count += 1
        return item.container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        // FHIR has no arrays of arrays; keep writing siblings.
        XMLUnkeyedEncodingContainer(encoder: encoder)
    }

    mutating func superEncoder() -> any Encoder {
        let item = XMLNodeEncoder(
            slot: itemSlot(), isMetadata: encoder.isMetadata, existing: [],
            codingPath: codingPath + [FHIRCodingKey.index(count)])
        count += 1
        return item
    }
}
