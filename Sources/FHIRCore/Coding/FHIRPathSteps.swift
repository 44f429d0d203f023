/// One step of a simple FHIRPath, the kind diagnostics and validation findings carry:
/// `Bundle.entry[3].resource.ofType(MedicationRequest).dosageInstruction[0].doseQuantity`.
public enum FHIRPathStep: Hashable, Sendable {
    /// An element name (`entry`, `doseQuantity`), with an index when one was written (`entry[3]`).
    case element(String, index: Int?)
    /// `ofType(MedicationRequest)`: the element just named holds a resource of this type.
    case ofType(String)
}

extension FHIRPathStep {
    /// Splits a path made of names, `[n]` indexes and `ofType(T)` into its steps; the first
    /// step is the root type (`Bundle`). Returns `nil` for anything else (functions,
    /// operators), which only the full FHIRPath grammar can read.
    ///
    /// `Observation.component[1].valueQuantity` → `[.element("Observation", nil),
    /// .element("component", 1), .element("valueQuantity", nil)]`.
    public static func parse(_ path: String) -> [FHIRPathStep]? {
        var steps: [FHIRPathStep] = []
        for part in path.split(separator: ".", omittingEmptySubsequences: false) {
            if part.hasPrefix("ofType("), part.hasSuffix(")") {
                let type = part.dropFirst("ofType(".count).dropLast()
                guard isName(type) else { return nil }
                steps.append(.ofType(String(type)))
                continue
            }
            var name = part
            var index: Int?
            if let open = part.firstIndex(of: "["), part.hasSuffix("]") {
                name = part[..<open]
                guard let value = Int(part[part.index(after: open)..<part.index(before: part.endIndex)]), value >= 0
                else {
                    return nil
                }
                index = value
            }
            guard isName(name) else { return nil }
            steps.append(.element(String(name), index: index))
        }
        return steps.isEmpty ? nil : steps
    }

    private static func isName(_ text: Substring) -> Bool {
        !text.isEmpty
            && text.utf8.allSatisfy { byte in
                (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
                    || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
                    || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "_")
            }
    }
}
