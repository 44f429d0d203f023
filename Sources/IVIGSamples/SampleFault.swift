public import FHIRCore

/// A clinical error that `ivig-fhir sample --faults RATE` puts into a record on purpose, so that
/// validation can be tested on realistic data: the record carries the fault as a `meta.tag`
/// (system ``SampleFault/system``), on the resource the error is in.
public enum SampleFault: String, CaseIterable, Sendable {
    /// The order's dose per kg is three times the regimen's (on the MedicationRequest).
    case overdose
    /// An infusion's dose in milligrams written with the unit `g` (on the MedicationAdministration).
    case milligramsAsGrams = "mg-as-g"
    /// An infusion run at twice the product's label maximum rate (on the MedicationAdministration).
    case rateTooFast = "rate-too-fast"
    /// A reaction dated two hours before the infusion it is linked to (on the AdverseEvent).
    case reactionBeforeInfusion = "reaction-before-infusion"
    /// An infusion recorded for another patient than its order's (on the MedicationAdministration).
    case wrongPatient = "wrong-patient"

    /// The code system of the tags.
    public static let system = "https://ivig-fhir.example.org/CodeSystem/sample-fault"

    /// The fault in words, the tag's display.
    public var display: String {
        switch self {
        case .overdose: "the dose per kg is three times the regimen's"
        case .milligramsAsGrams: "a dose in mg written as g"
        case .rateTooFast: "infused at twice the label's maximum rate"
        case .reactionBeforeInfusion: "the reaction is dated before its infusion"
        case .wrongPatient: "the infusion names another patient than its order"
        }
    }

    /// The fault a resource was given, read from its `meta.tag`.
    public static func fault(of resource: AnyResource) -> SampleFault? {
        let tags: [Coding]
        switch resource {
        case .medicationRequest(let order): tags = order.meta?.tag ?? []
        case .medicationAdministration(let administration): tags = administration.meta?.tag ?? []
        case .adverseEvent(let event): tags = event.meta?.tag ?? []
        default: return nil
        }
        for tag in tags where tag.system?.value == system {
            if let code = tag.code?.value, let fault = SampleFault(rawValue: code) { return fault }
        }
        return nil
    }

    /// `meta` with the tag that marks a resource with this fault (added to what it has).
    func tagging(_ meta: Meta?) -> Meta {
        var tagged = meta ?? Meta()
        tagged.tag.append(Build.coding(Self.system, rawValue, display))
        return tagged
    }
}

/// How often episodes get a fault: a share written as a decimal fraction (`0.05`), kept in
/// ten-thousandths so generation stays integer arithmetic and reproducible.
public struct SampleFaultRate: Sendable, Equatable {
    /// Faulty episodes per 10 000.
    public let perTenThousand: Int

    /// No faults.
    public static let none = SampleFaultRate(perTenThousand: 0)

    /// A rate of `perTenThousand` / 10 000 (clamped to 0...10 000).
    public init(perTenThousand: Int) { self.perTenThousand = max(0, min(10_000, perTenThousand)) }

    /// Parses `0.05`, `.5`, `1` or `0`: a share from 0 to 1 with up to four decimals; `nil` otherwise.
    public init?(_ text: String) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, let whole = parts[0].isEmpty ? 0 : Int(parts[0]), whole >= 0,
            parts[0].allSatisfy(\.isASCII), parts.count == 2 || !parts[0].isEmpty
        else { return nil }
        var fraction = 0
        if parts.count == 2 {
            let digits = parts[1]
            guard !digits.isEmpty, digits.count <= 4, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else {
                return nil
            }
            fraction = Int(digits + String(repeating: "0", count: 4 - digits.count))!
        }
        let value = whole * 10_000 + fraction
        guard value <= 10_000 else { return nil }
        self.init(perTenThousand: value)
    }
}
