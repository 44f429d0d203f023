/// Builds the FHIRPath of an element from the JSON-shaped path a decoder walked.
///
/// `_given` (a primitive's metadata) is reported as `given`; array indices become `[n]`;
/// a resource nested inside another (`contained`, `Bundle.entry.resource`) is named with
/// `ofType(Type)`, as the HL7 validator does:
/// `Bundle.entry[3].resource.ofType(MedicationRequest).dosageInstruction[0]`.
public struct FHIRPathBuilder: Sendable {
    private(set) var text: String

    /// Starts at a root resource type (`MedicationRequest`), or empty when unknown.
    public init(root: String) { text = root }

    /// Appends an element name.
    public mutating func append(element name: String) {
        let element = name.hasPrefix("_") ? String(name.dropFirst()) : name
        text += text.isEmpty ? element : "." + element
    }

    /// Appends an array index.
    public mutating func append(index: Int) { text += "[\(index)]" }

    /// Marks that the element just appended holds a resource of `type`.
    public mutating func append(resourceType type: String) {
        text += text.isEmpty ? type : ".ofType(\(type))"
    }

    /// Appends a coding-path key: an index when it has an int value, an element otherwise.
    public mutating func append(_ key: any CodingKey) {
        if let index = key.intValue { append(index: index) } else { append(element: key.stringValue) }
    }

    /// The FHIRPath expression.
    public var expression: String { text }
}
