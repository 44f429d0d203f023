import FHIRCore

/// A FHIR element, resource, or a primitive's `_name` part, read through JSON-shaped keys.
///
/// How each key maps to XML:
/// - `resourceType`: the element name of a resource (`<Patient>`).
/// - `id` on anything but a resource, and `url` on `extension`/`modifierExtension`: attributes.
/// - `name`: the child elements `<name>` (their `value` attributes for a primitive type).
/// - `_name`: the same children's `id` attributes and `extension` children.
///
/// Children must be in FHIR's namespace (the narrative `div` in XHTML's), contiguous, and in
/// the order the model reads them, which is specification order; in lenient mode order is not
/// enforced and foreign content is dropped with a warning.
struct XMLKeyedDecodingContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let element: XMLElement
    let isMetadata: Bool
    let isResource: Bool
    let state: XMLDecodingState
    let codingPath: [any CodingKey]
    private let groups: [String: Group]
    private let names: [String]
    private let progress = OrderProgress()

    /// The children with one name, and where that name first occurs.
    private struct Group {
        var elements: [XMLElement]
        var position: Int
    }

    /// The position of the last child the model read, for the order check.
    private final class OrderProgress {
        var position = -1
        var element: XMLElement?
    }

    init(element: XMLElement, isMetadata: Bool, state: XMLDecodingState, codingPath: [any CodingKey]) throws {
        self.element = element
        self.isMetadata = isMetadata
        self.isResource = !isMetadata && element.isResourceName
        self.state = state
        self.codingPath = codingPath
        var groups: [String: Group] = [:]
        var names: [String] = []
        if isResource && element.namespace != XMLNamespace.fhir {
            throw DecodingError.fhir(
                .invalidValue,
                "resource \(element.described) is not in the FHIR namespace; expected xmlns=\"\(XMLNamespace.fhir)\"",
                at: codingPath)
        }
        for child in element.children {
            switch child {
            case .text(let text):
                if !text.utf8.allSatisfy(XMLElement.isWhitespace) {
                    try Self.reject(
                        "text content in \(element.described); FHIR XML carries values in"
                            + " value attributes", name: "#text", state: state, codingPath: codingPath)
                }
            case .element(let child):
                let inNamespace =
                    child.namespace == XMLNamespace.fhir
                    || (child.name == "div" && child.namespace == XMLNamespace.xhtml)
                guard inNamespace else {
                    try Self.reject(
                        "element \(child.described) is in namespace '\(child.namespace ?? "")', not FHIR's",
                        name: child.name, state: state, codingPath: codingPath)
                    continue
                }
                if groups[child.name] != nil {
                    if names.last != child.name && !state.isLenient {
                        throw DecodingError.fhir(
                            .invalidValue,
                            "element \(child.described) repeats after '\(names.last ?? "")'; repeats of an element"
                                + " must be adjacent, in specification order",
                            at: codingPath + [FHIRCodingKey(child.name)])
                    }
                    groups[child.name]!.elements.append(child)
                } else {
                    groups[child.name] = Group(elements: [child], position: names.count)
                    names.append(child.name)
                }
            }
        }
        self.groups = groups
        self.names = names
        try checkAttributes()
    }

    /// Attributes FHIR XML defines: `value` and `id` on primitives, `id` on elements, `url` on
    /// extensions. Namespaced attributes (`xml:lang`, `xsi:…`) are not FHIR content and are ignored.
    private func checkAttributes() throws {
        for attribute in element.attributes where attribute.namespace == nil {
            let allowed =
                isMetadata
                ? (attribute.name == "id" || attribute.name == "value")
                : isAttributeKey(attribute.name)
            if !allowed {
                try Self.reject(
                    "attribute '\(attribute.name)' on \(element.described) is not part of FHIR XML here",
                    name: "@" + attribute.name, state: state, codingPath: codingPath)
            }
        }
    }

    /// Throws in strict mode; records a warning in lenient mode.
    private static func reject(
        _ message: String, name: String, state: XMLDecodingState,
        codingPath: [any CodingKey]
    ) throws {
        if state.isLenient {
            state.options.warnings.drop(name, at: codingPath)
            return
        }
        throw DecodingError.fhir(.unknownElement, message, at: codingPath)
    }

    private var isExtension: Bool { element.name == "extension" || element.name == "modifierExtension" }

    /// Keys that are XML attributes rather than child elements.
    private func isAttributeKey(_ name: String) -> Bool {
        (name == "id" && !isResource) || (name == "url" && isExtension && !isMetadata)
    }

    var allKeys: [Key] {
        // `_name` is never listed: a primitive's `name` key covers it (every model that knows
        // `_name` knows `name`), while listing `_name` for a complex element holding only
        // extensions would be wrong.
        var keys: [Key] = []
        if isResource, let key = Key(stringValue: "resourceType") { keys.append(key) }
        for name in names { if let key = Key(stringValue: name) { keys.append(key) } }
        return keys
    }

    func contains(_ key: Key) -> Bool {
        let name = key.stringValue
        if name == "resourceType" { return isResource }
        if isAttributeKey(name) { return element.attribute(name) != nil }
        if name.hasPrefix("_") {
            return groups[String(name.dropFirst())]?.elements.contains(where: \.hasPrimitiveMetadata) ?? false
        }
        return groups[name] != nil
    }

    func decodeNil(forKey key: Key) throws -> Bool { !contains(key) }

    /// Reads `key` as `type`, or returns nil when the XML does not carry it.
    private func lookup<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        let name = key.stringValue
        if name == "resourceType" {
            guard isResource else { return nil }
            return try cast(element.name, to: type, forKey: key)
        }
        if isAttributeKey(name) {
            guard let value = element.attribute(name) else { return nil }
            guard !value.isEmpty else {
                throw DecodingError.fhir(
                    .emptyValue, "attribute '\(name)' on \(element.described) is empty",
                    at: codingPath + [key])
            }
            return try cast(value, to: type, forKey: key)
        }
        if name.hasPrefix("_") {
            let base = String(name.dropFirst())
            guard let group = groups[base], group.elements.contains(where: \.hasPrimitiveMetadata) else { return nil }
            let decoder = XMLNodeDecoder(
                elements: group.elements, name: base, isMetadata: true, state: state,
                codingPath: codingPath + [key])
            return try T(from: decoder)
        }
        guard let group = groups[name] else { return nil }
        try checkOrder(group, forKey: key)
        let decoder = XMLNodeDecoder(
            elements: group.elements, name: name, isMetadata: false, state: state,
            codingPath: codingPath + [key])
        if XMLValueKind.isPrimitive(type) || XMLValueKind.isPrimitiveArray(type) {
            try checkPrimitiveShape(group.elements, forKey: key)
        }
        if XMLValueKind.isPrimitive(type) {
            // A primitive with only an id or extensions has no value; `_name` carries the rest.
            guard try decoder.single().attribute("value") != nil else { return nil }
        } else if XMLValueKind.isPrimitiveArray(type) {
            guard group.elements.contains(where: { $0.attribute("value") != nil }) else { return nil }
        }
        return try T(from: decoder)
    }

    /// A primitive element carries `value` and `id` attributes and `extension` children only;
    /// its children are checked when `_name` is read, its attributes and text here.
    private func checkPrimitiveShape(_ elements: [XMLElement], forKey key: Key) throws {
        for element in elements {
            for attribute in element.attributes
            where attribute.namespace == nil
                && attribute.name != "value" && attribute.name != "id"
            {
                try Self.reject(
                    "attribute '\(attribute.name)' on \(element.described) is not part of FHIR XML here",
                    name: "@" + attribute.name, state: state, codingPath: codingPath + [key])
            }
            if element.hasSignificantText {
                try Self.reject(
                    "text content in \(element.described); FHIR XML carries values in value attributes",
                    name: "#text", state: state, codingPath: codingPath + [key])
            }
        }
    }

    /// Strict mode: the model reads keys in specification order, so a child found before the
    /// previously read one is out of order.
    private func checkOrder(_ group: Group, forKey key: Key) throws {
        guard !state.isLenient else { return }
        if group.position < progress.position, let later = progress.element, let first = group.elements.first {
            throw DecodingError.fhir(
                .elementOrder,
                "element \(first.described) is out of order: FHIR R4 puts it after \(later.described)",
                at: codingPath + [key])
        }
        progress.position = group.position
        progress.element = group.elements.first
    }

    private func cast<T>(_ text: String, to type: T.Type, forKey key: Key) throws -> T {
        guard let value = text as? T else {
            throw DecodingError.typeMismatch(
                type,
                DecodingError.Context(
                    codingPath: codingPath + [key], debugDescription: "'\(key.stringValue)' is text in FHIR XML"))
        }
        return value
    }

    private func required<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        guard let value = try lookup(type, forKey: key) else {
            throw DecodingError.keyNotFound(
                key,
                DecodingError.Context(
                    codingPath: codingPath,
                    debugDescription: "\(element.described) has no '\(key.stringValue)'"))
        }
        return value
    }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T { try required(type, forKey: key) }
    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? { try lookup(type, forKey: key) }

    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try required(type, forKey: key) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try required(type, forKey: key) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try required(type, forKey: key) }
    func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? { try lookup(type, forKey: key) }
    func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? { try lookup(type, forKey: key) }
    func decodeIfPresent(_ type: Int32.Type, forKey key: Key) throws -> Int32? { try lookup(type, forKey: key) }

    private func unsupported<T>(_ type: T.Type, _ key: Key) -> DecodingError {
        .typeMismatch(
            type,
            DecodingError.Context(
                codingPath: codingPath + [key], debugDescription: "FHIR elements are never \(type)"))
    }

    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { throw unsupported(type, key) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { throw unsupported(type, key) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { throw unsupported(type, key) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { throw unsupported(type, key) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { throw unsupported(type, key) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { throw unsupported(type, key) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { throw unsupported(type, key) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { throw unsupported(type, key) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { throw unsupported(type, key) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { throw unsupported(type, key) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { throw unsupported(type, key) }

    private func childDecoder(forKey key: Key) throws -> XMLNodeDecoder {
        let name = key.stringValue
        guard let group = groups[name] else {
            throw DecodingError.keyNotFound(
                key,
                DecodingError.Context(
                    codingPath: codingPath, debugDescription: "\(element.described) has no '\(name)'"))
        }
        return XMLNodeDecoder(
            elements: group.elements, name: name, isMetadata: false, state: state,
            codingPath: codingPath + [key])
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws
        -> KeyedDecodingContainer<NestedKey>
    {
        try childDecoder(forKey: key).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try childDecoder(forKey: key).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder {
        XMLNodeDecoder(
            elements: [element], name: element.name, isMetadata: isMetadata, state: state,
            codingPath: codingPath)
    }

    func superDecoder(forKey key: Key) throws -> any Decoder { try childDecoder(forKey: key) }
}
