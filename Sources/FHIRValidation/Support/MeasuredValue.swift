import ExactArithmetic
import FHIRCore
import UCUM

/// A FHIR Quantity's value and UCUM unit, ready for exact arithmetic.
///
/// Only Quantities with a UCUM `code` (system `http://unitsofmeasure.org`, or no system) are
/// used for dosing: the value's digits are kept (`ExactDecimal`), and conversions go through the
/// UCUM module (`[lb_av]` is exactly 0.45359237 kg), never through `Double`.
struct MeasuredValue: Sendable {
    let value: ExactRational
    /// The UCUM code.
    let unit: String
    /// The value as written, for messages.
    let text: String
    /// How to show it when not as `value unit` (a ratio: `900 mL per 1 h`).
    var label: String?

    init?(_ quantity: Quantity?) {
        guard let quantity else { return nil }
        self.init(value: quantity.value?.value, code: quantity.code?.value, system: quantity.system?.value)
    }

    init?(duration: Duration) {
        self.init(value: duration.value?.value, code: duration.code?.value, system: duration.system?.value)
    }

    init?(value decimal: FHIRDecimal?, code: String?, system: String?) {
        guard let decimal, let number = decimal.exactValue, let code,
            system == nil || system == UCUMQuantityCheck.ucumSystem, UnitCache.shared.unit(code) != nil
        else { return nil }
        value = ExactRational(number)
        unit = code
        text = decimal.text
    }

    init(value: ExactRational, unit: String, label: String? = nil) {
        self.value = value
        self.unit = unit
        text = Display.number(value)
        self.label = label
    }

    /// The value in another unit, or `nil` when the units measure different things (or one is
    /// a special unit such as `Cel`, which no dose or rate uses). Exact: the ratio of the two
    /// units' canonical factors is a fraction (`mL/kg/h` to `mL/kg/min` is 1/60), not a
    /// rounded decimal, so 0.3 mL/kg/h of 100 mg/mL is exactly 0.5 mg/kg/min.
    func value(in target: String) -> ExactRational? {
        if target == unit { return value }
        return UnitCache.shared.factor(from: unit, to: target).map { value * $0 }
    }

    /// `29.0 g` as written.
    var description: String { label ?? "\(text) \(unit)" }
}

/// Numbers for messages: exact values shown with at most three decimals, trailing zeros dropped.
enum Display {
    static func number(_ value: ExactRational, decimals: Int = 3) -> String {
        let rounded = value.decimal(significantDigits: 30).rounded(toExponent: -decimals)
        var text = rounded.description
        if text.contains(".") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        return text == "-0" ? "0" : text
    }

    static func number(_ value: ExactDecimal) -> String { number(ExactRational(value)) }

    /// `0.4–1`, `at least 0.4`, `at most 1`.
    static func bounds(_ bounds: DosingRules.Bounds, unit: String) -> String {
        switch (bounds.minimum, bounds.maximum) {
        case (let low?, let high?) where low == high: return "\(number(low)) \(unit)"
        case (let low?, let high?): return "\(number(low))–\(number(high)) \(unit)"
        case (let low?, nil): return "at least \(number(low)) \(unit)"
        case (nil, let high?): return "at most \(number(high)) \(unit)"
        case (nil, nil): return "any \(unit)"
        }
    }
}

extension DosingRules.Bounds {
    /// Whether `value` is below the minimum once `allowance` is granted.
    func isBelow(_ value: ExactRational, allowance: ExactRational = .zero) -> Bool {
        guard let minimum else { return false }
        return value + allowance < ExactRational(minimum)
    }

    /// Whether `value` is above the maximum once `allowance` is granted.
    func isAbove(_ value: ExactRational, allowance: ExactRational = .zero) -> Bool {
        guard let maximum else { return false }
        return ExactRational(maximum) < value - allowance
    }

    func contains(_ value: ExactRational, allowance: ExactRational = .zero) -> Bool {
        !isBelow(value, allowance: allowance) && !isAbove(value, allowance: allowance)
    }
}
