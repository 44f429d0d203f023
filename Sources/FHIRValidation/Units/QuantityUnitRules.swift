import FHIRCore
import UCUM

/// The units layer: every Quantity (and Age, Count, Distance, Duration) whose unit is UCUM, or
/// that has unit text only, is checked by ``UCUMQuantityCheck``; its findings keep their UCUM
/// rule ids (`ucum-quantity-code`, `ucum-quantity-human-spelling`, …) and gain the FHIRPath of
/// the element at fault.
///
/// A Quantity coded in another system (`http://terminology.hl7.org/CodeSystem/v3-orderableDrugForm`
/// `TAB`) is valid FHIR and is left alone here; a code without any system is `qty-3`'s business.
enum QuantityUnitRules {
    static func check(_ quantity: ElementNode, at path: FHIRPathBuilder) -> [ValidationFinding] {
        let system = quantity["system"]?.text
        let code = quantity["code"]?.text
        guard system == UCUMQuantityCheck.ucumSystem || (system == nil && code == nil) else { return [] }
        let findings = UCUMQuantityCheck.check(
            value: quantity["value"]?.text, unit: quantity["unit"]?.text, system: system, code: code)
        return findings.map { finding in
            var elementPath = path
            elementPath.append(element: finding.element)
            return ValidationFinding(
                finding.severity == .error ? .error : .warning,
                finding.ruleID == "ucum-quantity-unit-mismatch" ? .value : .codeInvalid,
                rule: finding.ruleID, finding.message, at: elementPath.expression)
        }
    }
}
