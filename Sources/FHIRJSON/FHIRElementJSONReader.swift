public import FHIRCore
public import FHIRElementModel

/// Reads FHIR JSON of any R4 resource type into an ``FHIRElement`` tree typed by the
/// definitions, as strictly as ``FHIRJSONDecoder`` reads the generated models.
///
/// ```swift
/// let reader = FHIRElementJSONReader(index: FHIRLayoutIndex(layouts))
/// let encounter = try reader.read(bytes)           // an FHIRElement named "Encounter"
/// encounter.child(named: "status")?.value          // "in-progress"
/// ```
/// Choices are resolved (`valueQuantity` is `value` of type `Quantity`), resources inside
/// resources are typed by their `resourceType`, a primitive keeps its exact text (a number its
/// lexeme) and gets its `_name` sibling's `id` and extensions as children (index by index in
/// arrays, `null` filling the holes), and children are put in specification order.
///
/// Refused, each with its line, column and FHIRPath: an element the type does not have, a
/// value of the wrong JSON type, an empty object, array or string, a `null` outside a
/// primitive array, two types of one choice, a primitive whose text breaks its type's format,
/// duplicate keys and anything else the JSON scanner refuses, and input past the limits.
public struct FHIRElementJSONReader: Sendable {
    /// The definitions the tree is typed by.
    public var index: FHIRLayoutIndex
    /// What the reader accepts: record size, nesting, string length, Bundle entries.
    public var limits: FHIRReadLimits

    /// Creates a reader over the given definitions.
    public init(index: FHIRLayoutIndex, limits: FHIRReadLimits = .default) {
        self.index = index
        self.limits = limits
    }

    /// Reads a resource document strictly: an element its type does not have is an error.
    /// - Throws: ``FHIRDiagnostic``.
    public func read(_ bytes: [UInt8]) throws(FHIRDiagnostic) -> FHIRElement {
        try read(bytes, lenient: false).resource
    }

    /// Reads a resource document leniently: elements its type does not have are dropped, and
    /// each one is returned as a warning naming it, its FHIRPath and its position.
    /// - Throws: ``FHIRDiagnostic`` for anything other than unknown elements.
    public func readLeniently(_ bytes: [UInt8]) throws(FHIRDiagnostic) -> (
        resource: FHIRElement, dropped: [FHIRDiagnostic]
    ) {
        try read(bytes, lenient: true)
    }

    /// Reads a resource document, strictly or leniently.
    public func read(
        _ bytes: [UInt8], lenient: Bool
    ) throws(FHIRDiagnostic) -> (resource: FHIRElement, dropped: [FHIRDiagnostic]) {
        try read(document: JSONScanner.parse(bytes, limits: limits), lenient: lenient)
    }

    /// Reads a resource document scanned already, strictly or leniently.
    public func read(
        _ scanned: FHIRScannedJSON, lenient: Bool
    ) throws(FHIRDiagnostic) -> (resource: FHIRElement, dropped: [FHIRDiagnostic]) {
        try read(document: scanned.document(within: limits), lenient: lenient)
    }

    private func read(
        document: JSONDocument, lenient: Bool
    ) throws(FHIRDiagnostic) -> (resource: FHIRElement, dropped: [FHIRDiagnostic]) {
        let builder = ElementJSONBuilder(document: document, index: index, limits: limits, lenient: lenient)
        let resource = try builder.resource(at: 0, name: nil, definitionPath: nil)
        return (resource, builder.dropped)
    }

    /// Reads one entry of a streamed Bundle (`{"fullUrl": …, "resource": {…}}`) and returns its
    /// resource; FHIRPaths in diagnostics start at the entry (`resource.ofType(Encounter).status`).
    /// - Throws: ``FHIRDiagnostic``, with code `missing` when the entry holds no resource.
    public func readBundleEntry(
        _ bytes: [UInt8], lenient: Bool = false
    ) throws(FHIRDiagnostic) -> (resource: FHIRElement, dropped: [FHIRDiagnostic]) {
        let document = try JSONScanner.parse(bytes, limits: limits)
        let builder = ElementJSONBuilder(document: document, index: index, limits: limits, lenient: lenient)
        guard let shape = index.shape(ofPath: "Bundle.entry") else {
            throw FHIRDiagnostic(code: .unsupportedResourceType, message: "the definitions do not define Bundle.entry")
        }
        let entry = FHIRElement(
            name: "entry", typeName: "BackboneElement", kind: .backbone,
            definitionPath: "Bundle.entry", location: builder.location(of: 0))
        try builder.checkObject(0, path: "")
        try builder.fill(entry, object: 0, shape: shape, path: { "" })
        guard let resource = entry.child(named: "resource") else {
            throw FHIRDiagnostic(
                code: .missing, message: "the Bundle entry has no resource (nothing to convert)",
                location: builder.location(of: 0))
        }
        return (resource, builder.dropped)
    }
}
