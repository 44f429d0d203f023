import FHIRCore
import UCUM

/// The units layer: every Quantity (and Age, Count, Distance, Duration) whose unit is UCUM, or
/// that has unit text only, is checked by ``UCUMQuantityCheck``; its findings keep their UCUM
/// rule ids (`ucum-quantity-code`, `ucum-quantity-human-spelling`, …) and gain the FHIRPath of
/// the element at fault.
///
/// A Quantity coded in another system (`http://terminology.hl7.org/CodeSystem/v3-orderableDrugForm`
/// `TAB`) is valid FHIR and is left alone here; a code without any system is `qty-3`'s business.
public enum QuantityUnitRules {
    /// The types whose unit is checked: Quantity and its specializations.
    public static let quantityTypes: Set<String> = ["Quantity", "Age", "Count", "Distance", "Duration"]

    static func check(_ quantity: ElementNode, at path: FHIRPathBuilder) -> [ValidationFinding] {
        findings(
            value: quantity["value"]?.text, unit: quantity["unit"]?.text, system: quantity["system"]?.text,
            code: quantity["code"]?.text
        ).map { element, finding in
            var elementPath = path
            elementPath.append(element: element)
            var placed = finding
            placed.fhirPath = elementPath.expression
            return placed
        }
    }

    /// The findings on one Quantity given by the text of its elements, each with the name of
    /// the element at fault (`code`, `unit`, `system`, `value`); the caller gives them a place.
    public static func findings(
        value: String?, unit: String?, system: String?, code: String?
    ) -> [(element: String, finding: ValidationFinding)] {
        guard system == UCUMQuantityCheck.ucumSystem || (system == nil && code == nil) else { return [] }
        // The value is checked on its own; what the unit, system and code give is remembered, since
        // a batch repeats a few units in every record and parsing one is costly.
        let findings =
            UCUMQuantityCheck.check(value: value, unit: nil, system: nil, code: nil)
            + unitFindings.findings(for: UnitKey(unit: unit, system: system, code: code))
        return findings.map { finding in
            let placeless = ValidationFinding(
                finding.severity == .error ? .error : .warning,
                finding.ruleID == "ucum-quantity-unit-mismatch" ? .value : .codeInvalid,
                rule: finding.ruleID, finding.message, at: nil)
            return (finding.element, placeless)
        }
    }
}

/// The unit, system and code of a Quantity, as ``QuantityUnitRules`` remembers their findings.
private struct UnitKey: Hashable {
    var unit: String?
    var system: String?
    var code: String?
}

/// UCUM's findings on units already checked, shared by every thread; it stops growing at
/// ``capacity`` distinct units (input full of distinct made-up units is checked each time).
private final class UnitFindingsMemo: @unchecked Sendable {
    static let capacity = 10_000
    private let lock = Lock()
    private var known: [UnitKey: [UnitFinding]] = [:]

    func findings(for key: UnitKey) -> [UnitFinding] {
        if let found = lock.withLock({ known[key] }) { return found }
        let found = UCUMQuantityCheck.check(value: nil, unit: key.unit, system: key.system, code: key.code)
        lock.withLock { if known.count < Self.capacity { known[key] = found } }
        return found
    }
}

private let unitFindings = UnitFindingsMemo()
