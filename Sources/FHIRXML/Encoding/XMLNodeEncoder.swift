import FHIRCore

/// An `Encoder` writing one JSON-shaped value into XML: an object becomes an element with
/// children, an array becomes repeated sibling elements, a primitive a `value` attribute.
struct XMLNodeEncoder: Encoder {
    let slot: XMLEncodingSlot
    /// Whether this is the `_name` part of a primitive (bound to existing elements).
    let isMetadata: Bool
    /// For the `_name` part of a repeating primitive: the elements its values created.
    let existing: [XMLElement]
    let codingPath: [any CodingKey]

    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        // A single primitive's `_name` writes into the element its value already wrote.
        let target = isMetadata ? existing.first.map(XMLEncodingSlot.init(existing:)) ?? slot : slot
        return KeyedEncodingContainer(
            XMLKeyedEncodingContainer<Key>(slot: target, isMetadata: isMetadata, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        XMLUnkeyedEncodingContainer(encoder: self)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        XMLSingleValueEncodingContainer(slot: slot, codingPath: codingPath)
    }
}
