import ExactArithmetic
import FHIRCore
import UCUM

/// Converts an infusion rate to mg/kg/min, the unit of the labels' rates
/// (ivig-dosing.md §3: mg/kg/min = mL/kg/min × concentration in mg/mL; mL/h = weight × mL/kg/min × 60).
///
/// A rate in mass per kg per time (`mg/kg/min`, `g/kg/h`) converts directly; volume per kg per
/// time (`mL/kg/h`) needs the concentration; volume per time (`mL/h`) needs the concentration
/// and the weight; mass per time (`g/h`) needs the weight.
enum InfusionRate {
    struct Problem: Error {
        let reason: String
    }

    static func mgPerKgPerMin(
        _ rate: MeasuredValue, concentration: ExactRational?, weightKg: ExactRational?
    ) -> Result<ExactRational, Problem> {
        if let value = rate.value(in: "mg/kg/min") { return .success(value) }
        if let volume = rate.value(in: "mL/kg/min") {
            guard let concentration else { return .failure(Problem(reason: "the product's concentration is unknown")) }
            return .success(volume * concentration)
        }
        if let volume = rate.value(in: "mL/min") {
            guard let concentration else { return .failure(Problem(reason: "the product's concentration is unknown")) }
            guard let weightKg, !weightKg.isZero else {
                return .failure(Problem(reason: "the patient's weight is unknown"))
            }
            return .success((volume * concentration).dividing(by: weightKg))
        }
        if let mass = rate.value(in: "mg/min") {
            guard let weightKg, !weightKg.isZero else {
                return .failure(Problem(reason: "the patient's weight is unknown"))
            }
            return .success(mass.dividing(by: weightKg))
        }
        return .failure(
            Problem(reason: "'\(rate.unit)' is not an infusion rate (mass or volume per time, optionally per kg)"))
    }

    /// A `rateRatio` (`100 mL` per `1 h`) as one measured value (`100 mL/h`).
    static func measured(_ ratio: Ratio) -> MeasuredValue? {
        guard let numerator = MeasuredValue(ratio.numerator), let denominator = MeasuredValue(ratio.denominator),
            !denominator.value.isZero
        else { return nil }
        let unit = "(\(numerator.unit))/(\(denominator.unit))"
        guard UnitCache.shared.unit(unit) != nil else { return nil }
        return MeasuredValue(
            value: numerator.value.dividing(by: denominator.value), unit: unit,
            label: "\(numerator.description) per \(denominator.description)")
    }
}
