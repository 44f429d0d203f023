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
        let findings = UCUMQuantityCheck.check(value: value, unit: unit, system: system, code: code)
        return findings.map { finding in
            let placeless = ValidationFinding(
                finding.severity == .error ? .error : .warning,
                finding.ruleID == "ucum-quantity-unit-mismatch" ? .value : .codeInvalid,
                rule: finding.ruleID, finding.message, at: nil)
            return (finding.element, placeless)
        }
    }
}
