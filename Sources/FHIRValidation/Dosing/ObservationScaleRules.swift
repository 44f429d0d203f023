import ExactArithmetic
import FHIRCore

/// ivig-weight-range and ivig-strength-scale: body weight within its plausible range (in kg,
/// whatever unit it was written in), and grip strength, MRC sum score and INCAT within their
/// scales, as the rules file defines them.
struct ObservationScaleRules {
    let rules: DosingRules
    let context: ValidationContext

    func check(_ observation: Observation, entry: Int) -> [ValidationFinding] {
        guard !["entered-in-error", "cancelled"].contains(observation.status?.value ?? "") else { return [] }
        let make = FindingBuilder(context: context, entry: entry)
        if PatientMeasurements.matches(observation.code, rules.bodyWeightCodes) {
            return weight(observation, make)
        }
        guard let scale = rules.scales.first(where: { PatientMeasurements.matches(observation.code, $0.codes) }) else {
            return []
        }
        return score(observation, scale: scale, make)
    }

    private func weight(_ observation: Observation, _ make: FindingBuilder) -> [ValidationFinding] {
        guard case .quantity(let quantity)? = observation.value else { return [] }
        guard let measured = MeasuredValue(quantity) else {
            return [
                make.make(
                    .error, DosingRuleID.weightRange,
                    "a body weight needs a value with a UCUM mass unit (kg, g, [lb_av]); found \(quantity.code?.value ?? quantity.unit?.value ?? "no unit")",
                    at: "valueQuantity")
            ]
        }
        guard let kilograms = measured.value(in: "kg") else {
            return [
                make.make(
                    .error, DosingRuleID.weightRange,
                    "a body weight is a mass, but the unit is '\(measured.unit)'", at: "valueQuantity")
            ]
        }
        guard rules.bodyWeightKg.contains(kilograms) else {
            let shown =
                measured.unit == "kg"
                ? measured.description : "\(measured.description) = \(Display.number(kilograms)) kg"
            return [
                make.make(
                    .error, DosingRuleID.weightRange,
                    "the body weight \(shown) is outside \(Display.bounds(rules.bodyWeightKg, unit: "kg"))",
                    at: "valueQuantity")
            ]
        }
        return []
    }

    private func score(_ observation: Observation, scale: DosingRules.Scale, _ make: FindingBuilder)
        -> [ValidationFinding]
    {
        let value: ExactRational
        let shown: String
        let path: String
        switch observation.value {
        case .integer(let integer)?:
            guard let number = integer.value else { return [] }
            if let unit = scale.unit {
                return [
                    make.make(
                        .error, DosingRuleID.strengthScale,
                        "\(scale.name) is a quantity in \(unit), not a bare integer", at: "valueInteger")
                ]
            }
            (value, shown, path) = (ExactRational(Int(number)), String(number), "valueInteger")
        case .quantity(let quantity)?:
            path = "valueQuantity"
            if let unit = scale.unit {
                guard let measured = MeasuredValue(quantity), let converted = measured.value(in: unit) else {
                    return [
                        make.make(
                            .error, DosingRuleID.strengthScale,
                            "\(scale.name) is measured in \(unit) (or a unit convertible to it); found \(quantity.code?.value ?? quantity.unit?.value ?? "no unit")",
                            at: path)
                    ]
                }
                (value, shown) = (
                    converted,
                    measured.unit == unit
                        ? measured.description : "\(measured.description) = \(Display.number(converted)) \(unit)"
                )
            } else {
                guard let number = quantity.value?.value?.exactValue else { return [] }
                (value, shown) = (ExactRational(number), quantity.value!.value!.text)
            }
        default:
            return []
        }
        if !scale.bounds.contains(value) {
            return [
                make.make(
                    .error, DosingRuleID.strengthScale,
                    "\(scale.name) \(shown) is outside its scale of \(Display.bounds(scale.bounds, unit: scale.unit ?? "points"))",
                    at: path)
            ]
        }
        if scale.integer, value.denominator != 1 {
            return [
                make.make(
                    .error, DosingRuleID.strengthScale, "\(scale.name) is a whole number of points; found \(shown)",
                    at: path)
            ]
        }
        return []
    }
}
