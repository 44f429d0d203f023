import ExactArithmetic
import FHIRCore

/// ivig-rate-initial and ivig-rate-max: infusion rates against the product's label rates for
/// the indication (products.json), converted to mg/kg/min with the product's concentration and
/// the patient's weight.
///
/// An order's single rate (`rateQuantity`, `rateRatio`) is the rate to start at: above the
/// label's initial rate is a warning (it may suit a patient who tolerated earlier infusions),
/// above its maximum an error. A `rateRange` is read as start (`low`) and ceiling (`high`).
/// An administration's rate is what was given: above the maximum is an error.
struct RateRules {
    let rules: DosingRules
    let facts: OrderFacts
    let make: FindingBuilder

    func checkOrder(_ course: OrderedCourse) -> [ValidationFinding] {
        var findings: [ValidationFinding] = []
        for rate in course.rates {
            switch rate.rate {
            case .quantity(let quantity):
                findings += check(MeasuredValue(quantity), written: quantity, at: rate.path, initial: true, maximum: true)
            case .ratio(let ratio):
                findings += check(InfusionRate.measured(ratio), written: nil, at: rate.path, initial: true, maximum: true)
            case .range(let range):
                if let low = range.low { findings += check(MeasuredValue(low), written: low, at: rate.path + ".low", initial: true, maximum: false) }
                if let high = range.high { findings += check(MeasuredValue(high), written: high, at: rate.path + ".high", initial: false, maximum: true) }
            }
        }
        return findings
    }

    /// An administration's rate, against the maximum only.
    func checkGiven(_ rate: MedicationAdministration.DosageComponent.RateX, at path: String) -> [ValidationFinding] {
        switch rate {
        case .quantity(let quantity): return check(MeasuredValue(quantity), written: quantity, at: path + ".rateQuantity", initial: false, maximum: true)
        case .ratio(let ratio): return check(InfusionRate.measured(ratio), written: nil, at: path + ".rateRatio", initial: false, maximum: true)
        }
    }

    private func check(_ measured: MeasuredValue?, written: Quantity?, at path: String, initial: Bool, maximum: Bool) -> [ValidationFinding] {
        guard let measured else {
            let unit = written?.code?.value ?? written?.unit?.value ?? "no unit"
            return [make.make(.information, "ivig-context-dose",
                "the infusion rate cannot be checked: it has no value with a UCUM unit (found \(unit))", at: path)]
        }
        guard let product = facts.medication.product else {
            return [make.make(.information, "ivig-context-product",
                "the infusion rate \(measured.description) cannot be checked against label rates: the Medication has no product code from \(rules.products.system)",
                at: path)]
        }
        let indicationID = facts.indication?.id
        guard let rates = product.rates(for: indicationID), rates.initial != nil || rates.maximum != nil else {
            return [make.make(.information, "ivig-context-product",
                "the infusion rate \(measured.description) cannot be checked: the label rates of \(product.display) are not known (products.json)",
                at: path)]
        }
        let converted: ExactRational
        switch InfusionRate.mgPerKgPerMin(measured, concentration: facts.medication.concentration, weightKg: facts.weight?.value) {
        case .success(let value): converted = value
        case .failure(let problem):
            let rule = problem.reason.contains("weight") ? "ivig-context-weight" : "ivig-context-dose"
            return [make.make(.information, rule, "the infusion rate \(measured.description) cannot be converted to mg/kg/min: \(problem.reason)", at: path)]
        }
        let shown = measured.unit == "mg/kg/min" && measured.label == nil ? measured.description : "\(measured.description) = \(Display.number(converted)) mg/kg/min"
        let scope = rates.indications.contains("*") ? "" : " for \(rates.indications.joined(separator: "/"))"
        if maximum, let limit = rates.maximum, limit < converted {
            return [make.make(.error, "ivig-rate-max",
                "the infusion rate \(shown) is above \(product.display)'s maximum of \(Self.label(rates.labelMaximum, limit, rates))\(scope) (\(rates.source))",
                at: path)]
        }
        if initial, let limit = rates.initial, limit < converted {
            return [make.make(.warning, "ivig-rate-initial",
                "the starting infusion rate \(shown) is above \(product.display)'s initial rate of \(Self.label(rates.labelInitial, limit, rates))\(scope) (\(rates.source)); increase only as tolerated",
                at: path)]
        }
        return []
    }

    /// A label rate as the label states it, with its mg/kg/min value when that is another unit:
    /// `8 mg/kg/min`, `5.4 mL/kg/h (9 mg/kg/min)`.
    private static func label(_ stated: ExactDecimal?, _ perKgPerMin: ExactRational, _ rates: ProductTable.Rates) -> String {
        guard let stated, rates.labelUnit != "mg/kg/min" else { return "\(Display.number(perKgPerMin)) mg/kg/min" }
        return "\(Display.number(stated)) \(rates.labelUnit) (\(Display.number(perKgPerMin)) mg/kg/min)"
    }
}
