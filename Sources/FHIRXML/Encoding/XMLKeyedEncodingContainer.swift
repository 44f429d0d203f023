import FHIRCore

/// Writes a FHIR element, resource or a primitive's `_name` part from JSON-shaped keys; the
/// inverse of ``XMLKeyedDecodingContainer``.
///
/// `resourceType` turns the container into a resource: its element (`<Patient>`) becomes the
/// document root, or goes inside the wrapper element that holds it (`<contained>`).
/// `_name` writes into the `<name>` elements that `name` already wrote, so a primitive's value,
/// id and extensions are one element; children appear in the order the model encodes them,
/// which is specification order.
struct XMLKeyedEncodingContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    /// Shared by copies of the container.
    private final class State {
        var element: XMLElement?
        var isResource = false
        /// The elements written for each key, for `_name` to find.
        var written: [String: [XMLElement]] = [:]
    }

    private let slot: XMLEncodingSlot
    private let isMetadata: Bool
    private let state = State()
    let codingPath: [any CodingKey]

    init(slot: XMLEncodingSlot, isMetadata: Bool, codingPath: [any CodingKey]) {
        self.slot = slot
        self.isMetadata = isMetadata
        self.codingPath = codingPath
    }

    private func currentElement(forKey key: Key) throws -> XMLElement {
        if let element = state.element { return element }
        guard !slot.isDocument else {
            throw EncodingError.xml(
                key.stringValue, .invalidValue,
                "a FHIR XML document holds a resource; '\(key.stringValue)' came before 'resourceType'",
                at: codingPath)
        }
        let element = slot.materialize()
        state.element = element
        return element
    }

    private func isAttributeKey(_ name: String) -> Bool {
        let isExtension = slot.name == "extension" || slot.name == "modifierExtension"
        return (name == "id" && !state.isResource) || (name == "url" && isExtension && !isMetadata)
    }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        let name = key.stringValue
        if name == "resourceType" {
            try beginResource(value, forKey: key)
            return
        }
        let element = try currentElement(forKey: key)
        if isAttributeKey(name) {
            guard let text = value as? String else {
                throw EncodingError.xml(
                    value, .wrongType, "'\(name)' must be text to be an XML attribute",
                    at: codingPath + [key])
            }
            try checkWritable(text, at: codingPath + [key])
            element.setAttribute(name, text)
            return
        }
        let isMetadataKey = name.hasPrefix("_")
        let elementName = isMetadataKey ? String(name.dropFirst()) : name
        let state = self.state
        let childSlot = XMLEncodingSlot(parent: element, name: elementName) {
            state.written[elementName, default: []].append($0)
        }
        let encoder = XMLNodeEncoder(
            slot: childSlot, isMetadata: isMetadataKey,
            existing: isMetadataKey ? state.written[elementName] ?? [] : [], codingPath: codingPath + [key])
        try value.encode(to: encoder)
    }

    /// Starts the resource element: the document root, or the child of a wrapper element.
    private func beginResource<T>(_ value: T, forKey key: Key) throws {
        // `resourceType` comes first: the element it names holds everything after it.
        guard let type = value as? String, !type.isEmpty, state.element == nil else {
            throw EncodingError.xml(
                value, .invalidValue, "resourceType must be the first key and name a resource",
                at: codingPath + [key])
        }
        let resource = XMLElement(name: type, namespace: XMLNamespace.fhir)
        guard resource.isResourceName else {
            throw EncodingError.xml(
                value, .invalidValue, "resourceType '\(type)' is not a resource name",
                at: codingPath + [key])
        }
        if slot.isDocument {
            slot.place(resource)
        } else {
            slot.materialize().children.append(.element(resource))
        }
        state.element = resource
        state.isResource = true
    }

    mutating func encodeNil(forKey key: Key) throws {}

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key)
        -> KeyedEncodingContainer<NestedKey>
    {
        childEncoder(forKey: key).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        childEncoder(forKey: key).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder {
        XMLNodeEncoder(slot: slot, isMetadata: isMetadata, existing: [], codingPath: codingPath)
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder { childEncoder(forKey: key) }

    private func childEncoder(forKey key: Key) -> XMLNodeEncoder {
        let parent = (try? currentElement(forKey: key)) ?? slot.materialize()
        let name = key.stringValue
        let state = self.state
        let childSlot = XMLEncodingSlot(parent: parent, name: name) { state.written[name, default: []].append($0) }
        return XMLNodeEncoder(slot: childSlot, isMetadata: false, existing: [], codingPath: codingPath + [key])
    }
}
