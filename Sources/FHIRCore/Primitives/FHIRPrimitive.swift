/// A value type that can stand as the `value` of a FHIR primitive element.
///
/// Conforming types: `Bool` (boolean), `Int32` (integer, unsignedInt, positiveInt), `String`
/// (string, code, id, uri, url, canonical, oid, uuid, markdown, base64Binary), ``FHIRDecimal``,
/// ``FHIRDate``, ``FHIRDateTime``, ``FHIRInstant`` and ``FHIRTime``. Decoders use this marker to
/// tell a primitive's value from a complex element (in XML both are child elements).
public protocol FHIRPrimitiveValue: Codable, Hashable, Sendable {}

extension Bool: FHIRPrimitiveValue {}
extension Int32: FHIRPrimitiveValue {}
extension String: FHIRPrimitiveValue {}

/// A FHIR primitive element: its value (which may be absent), plus the `id` and `extension`
/// every FHIR element may carry.
///
/// In JSON the value sits under the element's name and `id`/`extension` under `_name`; in XML
/// the value is the `value` attribute and `id`/`extension` are an attribute and child elements.
/// Either part may be missing, but not both.
public struct FHIRPrimitive<Value: FHIRPrimitiveValue>: Hashable, Sendable {
    /// The primitive's value; `nil` when the element carries only an id or extensions.
    public var value: Value?
    /// The element's `id` (used for internal references such as narrative links).
    public var id: String?
    /// The element's extensions, in document order.
    public var `extension`: [Extension]

    /// Creates a primitive element.
    /// - Parameters:
    ///   - value: the value, or `nil` for an element that carries only extensions.
    ///   - id: the element id.
    ///   - extension: the element's extensions.
    public init(_ value: Value?, id: String? = nil, extension: [Extension] = []) {
        self.value = value
        self.id = id
        self.extension = `extension`
    }

    /// `true` when the element has an id or extensions, i.e. it needs a `_name` entry in JSON.
    public var hasMetadata: Bool { id != nil || !`extension`.isEmpty }
}

extension FHIRPrimitive: ExpressibleByUnicodeScalarLiteral where Value == String {
    public init(unicodeScalarLiteral value: String) { self.init(value) }
}

extension FHIRPrimitive: ExpressibleByExtendedGraphemeClusterLiteral where Value == String {
    public init(extendedGraphemeClusterLiteral value: String) { self.init(value) }
}

extension FHIRPrimitive: ExpressibleByStringLiteral where Value == String {
    public init(stringLiteral value: String) { self.init(value) }
}

extension FHIRPrimitive: ExpressibleByBooleanLiteral where Value == Bool {
    public init(booleanLiteral value: Bool) { self.init(value) }
}

extension FHIRPrimitive: ExpressibleByIntegerLiteral where Value == Int32 {
    public init(integerLiteral value: Int32) { self.init(value) }
}

/// The `_name` part of a primitive element in JSON: its `id` and `extension`, without the value.
///
/// Wire format (JSON): `{"id": "a1", "extension": [ … ]}`; neither key is required, but an empty
/// object is not allowed.
public struct PrimitiveMetadata: Codable, Hashable, Sendable {
    /// The element id.
    public var id: String?
    /// The element's extensions.
    public var `extension`: [Extension]

    /// Creates the metadata of a primitive element.
    public init(id: String?, extension: [Extension]) {
        self.id = id
        self.extension = `extension`
    }

    static let knownKeys: Set<String> = ["id", "extension"]

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: FHIRCodingKey.self)
        try container.checkKnownKeys(Self.knownKeys, decoder: decoder)
        id = try container.decodeIfPresent(String.self, forKey: "id")
        `extension` = try container.decodeArray(Extension.self, forKey: "extension")
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: FHIRCodingKey.self)
        try container.encodeIfPresent(id, forKey: "id")
        try container.encodeArray(`extension`, forKey: "extension")
    }
}
