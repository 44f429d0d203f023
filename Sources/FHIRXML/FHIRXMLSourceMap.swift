public import FHIRCore

/// Finds where an element named by a FHIRPath sits in a FHIR XML document, so a finding made
/// on the model can be reported with a line and column (of the element's start tag).
///
/// ```swift
/// let map = try FHIRXMLSourceMap(bytes: bytes)
/// map.location(of: "Bundle.entry[3].resource.ofType(MedicationRequest).status")  // 61:12
/// ```
///
/// Paths use the element names FHIR XML shares with JSON (`rateQuantity`); `entry[3]` is the
/// fourth `<entry>` child; `ofType(T)` steps into the `<T>` element that wraps a resource.
/// When the element is absent, or is an attribute (`id`, `url`), the start tag of the deepest
/// element on the way is given instead.
public struct FHIRXMLSourceMap: Sendable {
    private let root: XMLElementBox

    /// Parses the document once, with the same hardened parser and limits as ``FHIRXMLDecoder``.
    ///
    /// - Throws: ``FHIRDiagnostic`` when the document is not well-formed or breaks a limit.
    public init(bytes: [UInt8], limits: FHIRXMLLimits = .default) throws(FHIRDiagnostic) {
        root = XMLElementBox(element: try FHIRXMLDecoder(limits: limits).parse(bytes))
    }

    /// The line and column of the element `fhirPath` names, or of its nearest present ancestor;
    /// `nil` when the path is not a simple FHIRPath or its root type is not the document's.
    public func location(of fhirPath: String) -> SourceLocation? {
        guard let steps = FHIRPathStep.parse(fhirPath), case .element(let rootName, nil)? = steps.first,
            root.element.name == rootName
        else { return nil }
        var element = root.element
        for step in steps.dropFirst() {
            let name: String
            let index: Int
            switch step {
            case .element(let elementName, let position): (name, index) = (elementName, position ?? 0)
            case .ofType(let type): (name, index) = (type, 0)
            }
            let matches = element.elementChildren.filter { $0.name == name }
            guard index < matches.count else { break }
            element = matches[index]
        }
        // A byte offset is not tracked for XML; libxml2 gives line and column only.
        return SourceLocation(line: element.line, column: element.column, byteOffset: 0)
    }
}

/// Holds the parsed tree; the tree is not mutated after parsing, so sharing it is safe.
private final class XMLElementBox: @unchecked Sendable {
    let element: XMLElement
    init(element: XMLElement) { self.element = element }
}
