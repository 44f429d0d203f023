/// What every FHIR resource model has: its type name and its logical id.
public protocol FHIRResource: Codable, Hashable, Sendable {
    /// The resource type as it appears in `resourceType` and as the XML element name.
    static var resourceType: String { get }
    /// The resource's logical id.
    var id: FHIRPrimitive<String>? { get set }
}
