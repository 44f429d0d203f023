import FHIRCore

/// A `Decoder` over the elements that hold one JSON-shaped value: a single element (an object
/// or a primitive), or the run of same-named siblings that make up an array.
///
/// The container the model asks for decides how the elements are read: keyed for a complex
/// element or a resource, unkeyed for an array, single-value for a primitive's `value`
/// attribute or the narrative `div`.
struct XMLNodeDecoder: Decoder {
    /// The elements, all with the same name, in document order.
    let elements: [XMLElement]
    /// The JSON name the elements stand for (`given`), for messages.
    let name: String
    /// Whether this is the `_name` part of a primitive (its `id` and extensions).
    let isMetadata: Bool
    let state: XMLDecodingState
    let codingPath: [any CodingKey]

    var userInfo: [CodingUserInfoKey: Any] { state.userInfo }

    /// The one element of a non-repeating value.
    /// - Throws: when the element repeats, naming how often it occurs.
    func single() throws -> XMLElement {
        guard elements.count == 1, let element = elements.first else {
            throw DecodingError.fhir(
                .invalidValue,
                "element '\(name)' occurs \(elements.count) times, but it does not repeat (at most 1)",
                at: codingPath)
        }
        return element
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        let element = try single()
        let target = isMetadata ? element : try Self.unwrapResource(element, codingPath: codingPath)
        return KeyedDecodingContainer(
            try XMLKeyedDecodingContainer<Key>(
                element: target, isMetadata: isMetadata, state: state, codingPath: codingPath))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        XMLUnkeyedDecodingContainer(decoder: self)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        XMLSingleValueDecodingContainer(
            element: try single(), name: name, isMetadata: isMetadata, state: state, codingPath: codingPath)
    }

    /// The resource inside a wrapper element (`<contained><Patient>…</Patient></contained>`),
    /// or the element itself when it is not a wrapper.
    static func unwrapResource(_ element: XMLElement, codingPath: [any CodingKey]) throws -> XMLElement {
        if element.isResourceName { return element }
        let children = element.elementChildren
        guard let first = children.first, first.isResourceName else { return element }
        guard children.count == 1, element.attributes.isEmpty, !element.hasSignificantText else {
            throw DecodingError.fhir(
                .invalidValue,
                "\(element.described) wraps a resource, so it must hold exactly that one resource element",
                at: codingPath)
        }
        return first
    }
}
