public import FHIRCore

/// Finds where an element named by a FHIRPath sits in a FHIR JSON text, so a finding made on
/// the model (`Bundle.entry[3].resource.ofType(MedicationRequest).dosageInstruction[0]`) can be
/// reported with a line and column.
///
/// ```swift
/// let map = try FHIRJSONSourceMap(bytes: bytes)
/// map.location(of: "MedicationRequest.dosageInstruction[0].doseAndRate[0].rateQuantity")  // 57:17
/// ```
///
/// Paths use JSON names (`rateQuantity`, not `rate`); a primitive found only as `_name` (its id
/// and extensions) is located there. When the element is absent (a missing `status`), the
/// location of the deepest element on the way is given instead (the resource's `{`).
public struct FHIRJSONSourceMap: Sendable {
    private let document: JSONDocument

    /// Parses the text once; every lookup walks the parsed nodes.
    ///
    /// - Parameters:
    ///   - bytes: The FHIR JSON text.
    ///   - maxDepth: The nesting limit, as for ``FHIRJSONDecoder``.
    /// - Throws: ``FHIRDiagnostic`` when the text is not well-formed JSON.
    public init(bytes: [UInt8], maxDepth: Int = 64) throws(FHIRDiagnostic) {
        document = try JSONScanner.parse(bytes, maxDepth: maxDepth)
    }

    /// The line and column of the element `fhirPath` names, or of its nearest present ancestor;
    /// `nil` when the path is not a simple FHIRPath or its root type is not the document's.
    public func location(of fhirPath: String) -> SourceLocation? {
        guard let steps = FHIRPathStep.parse(fhirPath), case .element(let root, nil)? = steps.first,
            document.nodes.first?.kind == .object, resourceType(of: 0) == root
        else { return nil }
        var node = 0
        var located = 0  // the node whose position is reported: a member's key, or an element
        for step in steps.dropFirst() {
            // ofType: the JSON has the object already.
            guard case .element(let name, let index) = step else { continue }
            guard document.nodes[node].kind == .object,
                let member = document.members(of: node).first(where: { $0.key == name })
                    ?? document.members(of: node).first(where: { $0.key == "_" + name })
            else { break }
            var value = member.value
            located = value - 1  // the key's string node precedes its value
            if let index {
                guard document.nodes[value].kind == .array else { break }
                let elements = document.elements(of: value)
                guard index < elements.count else { break }
                value = elements[index]
                located = value
            }
            node = value
        }
        return document.location(of: located)
    }

    private func resourceType(of node: Int) -> String? {
        guard let value = document.members(of: node).first(where: { $0.key == "resourceType" })?.value,
            document.nodes[value].kind == .string
        else { return nil }
        return document.string(at: value)
    }
}
