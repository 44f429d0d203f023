/// The one coding key every model uses: a FHIR element name as it appears in JSON
/// (`status`, `_status`, `valueQuantity`), or an array index.
public struct FHIRCodingKey: CodingKey, Hashable, Sendable, ExpressibleByStringLiteral {
    public let stringValue: String
    public let intValue: Int?

    public init(_ name: String) {
        stringValue = name
        intValue = nil
    }

    public init(stringLiteral value: String) { self.init(value) }

    public init?(stringValue: String) { self.init(stringValue) }

    public init?(intValue: Int) {
        stringValue = String(intValue)
        self.intValue = intValue
    }

    /// The key of an array element.
    public static func index(_ index: Int) -> FHIRCodingKey { FHIRCodingKey(intValue: index)! }
}
