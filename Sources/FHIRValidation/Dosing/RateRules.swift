import ExactArithmetic
import FHIRCore
import IVIGProducts

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
    /// The medication whose label rates apply: the order's, or the product an infusion gave.
    let medication: MedicationIdentity
    let make: FindingBuilder

    func checkOrder(_ course: OrderedCourse) -> [ValidationFinding] {
        var findings: [ValidationFinding] = []
        for rate in course.rates {
            switch rate.rate {
            case .quantity(let quantity):
                findings += check(
                    MeasuredValue(quantity), written: quantity, at: rate.path, initial: true, maximum: true)
            case .ratio(let ratio):
                findings += check(
                    InfusionRate.measured(ratio), written: nil, at: rate.path, initial: true, maximum: true)
            case .range(let range):
                if let low = range.low {
                    findings += check(
                        MeasuredValue(low), written: low, at: rate.path + ".low", initial: true, maximum: false)
                }
                if let high = range.high {
                    findings += check(
                        MeasuredValue(high), written: high, at: rate.path + ".high", initial: false, maximum: true)
                }
            }
        }
        return findings
    }

    /// An administration's rate, against the maximum only.
    func checkGiven(_ rate: MedicationAdministration.DosageComponent.RateX, at path: String) -> [ValidationFinding] {
        switch rate {
        case .quantity(let quantity):
            return check(
                MeasuredValue(quantity), written: quantity, at: path + ".rateQuantity", initial: false, maximum: true)
        case .ratio(let ratio):
            return check(
                InfusionRate.measured(ratio), written: nil, at: path + ".rateRatio", initial: false, maximum: true)
        }
    }

    private func check(_ measured: MeasuredValue?, written: Quantity?, at path: String, initial: Bool, maximum: Bool)
        -> [ValidationFinding]
    {
        guard let measured else {
            let unit = written?.code?.value ?? written?.unit?.value ?? "no unit"
            return [
                make.make(
                    .information, DosingRuleID.contextDose,
                    "the infusion rate cannot be checked: it has no value with a UCUM unit (found \(unit))", at: path)
            ]
        }
        guard let product = medication.product else {
            return maximum ? unknownProduct(measured, at: path) : []
        }
        let indicationID = facts.indication?.id
        guard let rates = product.rates(for: indicationID), rates.initial != nil || rates.maximum != nil else {
            return [
                make.make(
                    .information, DosingRuleID.contextProduct,
                    "the infusion rate \(measured.description) cannot be checked: the label rates of \(product.display) are not known (products.json)",
                    at: path)
            ]
        }
        let converted: ExactRational
        switch InfusionRate.mgPerKgPerMin(
            measured, concentration: medication.concentration, weightKg: facts.weight?.value)
        {
        case .success(let value): converted = value
        case .failure(let problem):
            let rule = problem.reason.contains("weight") ? DosingRuleID.contextWeight : DosingRuleID.contextDose
            return [
                make.make(
                    .information, rule,
                    "the infusion rate \(measured.description) cannot be converted to mg/kg/min: \(problem.reason)",
                    at: path)
            ]
        }
        // The texts are for findings only: most rates are within the label's.
        var shown: String {
            measured.unit == "mg/kg/min" && measured.label == nil
                ? measured.description : "\(measured.description) = \(Display.number(converted)) mg/kg/min"
        }
        var scope: String {
            rates.indications.contains("*") ? "" : " for \(rates.indications.joined(separator: "/"))"
        }
        if maximum, let limit = rates.maximum, limit < converted {
            return [
                make.make(
                    .error, DosingRuleID.rateMax,
                    "the infusion rate \(shown) is above \(product.display)'s maximum of \(Self.label(rates.labelMaximum, limit, rates))\(scope) (\(rates.source))",
                    at: path)
            ]
        }
        if initial, let limit = rates.initial, limit < converted {
            return [
                make.make(
                    .warning, DosingRuleID.rateInitial,
                    "the starting infusion rate \(shown) is above \(product.display)'s initial rate of \(Self.label(rates.labelInitial, limit, rates))\(scope) (\(rates.source)); increase only as tolerated",
                    at: path)
            ]
        }
        return []
    }

    /// A rate of a product the records do not identify (no product code, NDC or brand name):
    /// checked against the label maxima of every product it could be, those of its
    /// concentration when that is known (ingredient strength). Above the fastest of them no
    /// product allows it (error); above the slowest, only some do (warning naming them). When
    /// neither the concentration nor a rate in mass per kg is known, the rate as a volume per kg
    /// is compared with the fastest any product's label allows, and the assumption is stated.
    private func unknownProduct(_ measured: MeasuredValue, at path: String) -> [ValidationFinding] {
        let indicationID = facts.indication?.id
        let concentration = medication.concentration
        var pool = medication.candidates.isEmpty ? rules.products.products : medication.candidates
        if let concentration { pool = pool.filter { $0.milligramsPerMillilitre == concentration } }
        let limits = pool.compactMap {
            product -> (product: ProductTable.Product, maximum: ExactRational, rates: ProductTable.Rates)? in
            guard let rates = product.rates(for: indicationID), let maximum = rates.maximum else { return nil }
            return (product, maximum, rates)
        }.sorted { $0.maximum < $1.maximum }
        let kind = concentration.map { "\(Display.number($0)) mg/mL product" } ?? "product"
        let scope = indicationID.map { " for \($0)" } ?? ""
        let unidentified = "the Medication names no product of the product table (no product code, NDC or brand name)"
        guard let slowest = limits.first, let fastest = limits.last else {
            return [
                make.make(
                    .information, DosingRuleID.contextProduct,
                    "the infusion rate \(measured.description) cannot be checked: \(unidentified), and no \(kind) in the table has known label rates",
                    at: path)
            ]
        }
        func named(
            _ items: ArraySlice<(product: ProductTable.Product, maximum: ExactRational, rates: ProductTable.Rates)>
        ) -> String {
            items.map { "\($0.product.display) \(Self.label($0.rates.labelMaximum, $0.maximum, $0.rates))" }.joined(
                separator: ", ")
        }
        switch InfusionRate.mgPerKgPerMin(measured, concentration: concentration, weightKg: facts.weight?.value) {
        case .success(let value):
            let shown =
                measured.unit == "mg/kg/min" && measured.label == nil
                ? measured.description : "\(measured.description) = \(Display.number(value)) mg/kg/min"
            if fastest.maximum < value {
                return [
                    make.make(
                        .error, DosingRuleID.rateMax,
                        "the infusion rate \(shown) is above the label maximum of every \(kind)\(scope), the fastest being \(named(limits.suffix(1))); \(unidentified), but no product allows this rate",
                        at: path)
                ]
            }
            if slowest.maximum < value {
                let allowing = limits.filter { !($0.maximum < value) }
                return [
                    make.make(
                        .warning, DosingRuleID.rateMax,
                        "the infusion rate \(shown) is above the label maximum of some \(kind)s\(scope) (\(named(limits.filter { $0.maximum < value }[...]))); \(unidentified), so check it is one that allows it: \(named(allowing[...]))",
                        at: path)
                ]
            }
            return []
        case .failure(let problem) where concentration == nil && problem.reason.contains("concentration"):
            // A volume rate of unknown concentration: as mL/kg/min, against the fastest volume
            // rate any product's label allows (its maximum over its concentration).
            let perKg =
                measured.value(in: "mL/kg/min")
                ?? measured.value(in: "mL/min").flatMap { volume in
                    facts.weight.flatMap { $0.value.isZero ? nil : volume.dividing(by: $0.value) }
                }
            guard let perKg else {
                return [
                    make.make(
                        .information, DosingRuleID.contextWeight,
                        "the infusion rate \(measured.description) cannot be converted to mL/kg/min: the patient's weight is unknown",
                        at: path)
                ]
            }
            let volumes = limits.map {
                (limit: $0, volume: $0.maximum.dividing(by: $0.product.milligramsPerMillilitre))
            }
            guard let top = volumes.max(by: { $0.volume < $1.volume }), top.volume < perKg else { return [] }
            return [
                make.make(
                    .warning, DosingRuleID.rateMax,
                    "the infusion rate \(measured.description) = \(Display.number(perKg, decimals: 4)) mL/kg/min is above the fastest volume rate any product's label allows\(scope) (\(Display.number(top.volume, decimals: 4)) mL/kg/min, \(named([top.limit][...]))); assumed: the product is one of the product table's, since \(unidentified) and its concentration (ingredient strength) is not given",
                    at: path)
            ]
        case .failure(let problem):
            let rule = problem.reason.contains("weight") ? DosingRuleID.contextWeight : DosingRuleID.contextDose
            return [
                make.make(
                    .information, rule,
                    "the infusion rate \(measured.description) cannot be converted to mg/kg/min: \(problem.reason)",
                    at: path)
            ]
        }
    }

    /// A label rate as the label states it, with its mg/kg/min value when that is another unit:
    /// `8 mg/kg/min`, `5.4 mL/kg/h (9 mg/kg/min)`.
    private static func label(_ stated: ExactDecimal?, _ perKgPerMin: ExactRational, _ rates: ProductTable.Rates)
        -> String
    {
        guard let stated, rates.labelUnit != "mg/kg/min" else { return "\(Display.number(perKgPerMin)) mg/kg/min" }
        return "\(Display.number(stated)) \(rates.labelUnit) (\(Display.number(perKgPerMin)) mg/kg/min)"
    }
}
