import BigInt
public import ExactArithmetic

/// The result of converting a value between units.
///
/// Precision: the conversion itself is exact. Factors are exact fractions (`[lb_av]` is
/// exactly `0.45359237 kg`, `[degF]` is exactly `5/9 K`), and the input's digits are never
/// rounded through `Double`. ``value`` is the exact result whenever its decimal expansion
/// terminates (`0.08 mL/kg/min` → `4.8 mL/kg/h`); otherwise it is rounded half-even to
/// ``UCUM/maximumSignificantDigits`` significant digits and ``isExact`` is `false`. Special units
/// whose functions are transcendental (`[pH]`, `B[SPL]`, `Np`, `%[slope]`, …) are exact for exact
/// powers (`7 [pH]` ↔ `1e-7 mol/L`) and otherwise computed in `Double`, rounded to 15 significant
/// digits, with ``isExact`` `false`.
///
/// The result is not rounded to the input's precision; ``inputSignificantDigits`` and
/// ``valueAtInputPrecision`` say what a measurement with that many digits supports.
public struct UCUMConversion: Sendable, Hashable, CustomStringConvertible {
    /// The converted value (see the precision rules above).
    public let value: ExactDecimal
    /// Whether ``value`` is exactly the converted value (no digit was dropped).
    public let isExact: Bool
    /// Whether a special unit's transcendental function (a logarithm, power or tangent) had to
    /// be computed in floating point; ``value`` then has at most 15 significant digits.
    public let usedFloatingPoint: Bool
    /// The significant digits of the input value as written (`0.08` has 1, `6.30` has 3).
    public let inputSignificantDigits: Int
    /// The unit converted to.
    public let unit: String

    /// ``value`` rounded half-even to the input's significant digits: `6.3 [in_i]` is
    /// `16.002 cm`, or `16 cm` at the input's 2 digits.
    public var valueAtInputPrecision: ExactDecimal {
        value.rounded(toSignificantDigits: inputSignificantDigits)
    }

    /// `value unit`, such as `4.8 mL/kg/h`.
    public var description: String { "\(value) \(unit)" }
}

enum UCUMConverter {
    static func convert(_ input: ExactDecimal, from source: UCUMUnit, to target: UCUMUnit) throws(UCUMError)
        -> UCUMConversion
    {
        guard source.dimension == target.dimension else {
            throw notCommensurable(source, target)
        }
        for unit in [source, target] where unit.containsSpecialUnit && unit.term.soleSpecialUnit == nil {
            let special = unit.term.specialComponents[0]
            let at = special.start
            throw UCUMError(
                .specialUnit, unit.code, at: at,
                "a special unit (like Cel, [degF], [pH]) converts only on its own, without an exponent or other units; '\(unit.code)' cannot be converted"
            )
        }
        var magnitude = UCUMMagnitude.exact(ExactRational(input))
        // Into base units.
        if let (prefix, atom) = source.term.soleSpecialUnit, let special = atom.special {
            if let prefix { magnitude = magnitude.map { $0 * prefix.factor } }
            magnitude = try special.toScale(magnitude, unit: source.code)
            magnitude = magnitude.map { $0 * special.scale.factor }
        } else {
            magnitude = magnitude.map { $0 * source.canonical.factor }
        }
        // Out of base units.
        if let (prefix, atom) = target.term.soleSpecialUnit, let special = atom.special {
            magnitude = magnitude.map { $0.dividing(by: special.scale.factor) }
            magnitude = try special.fromScale(magnitude, unit: target.code)
            if let prefix { magnitude = magnitude.map { $0.dividing(by: prefix.factor) } }
        } else {
            magnitude = magnitude.map { $0.dividing(by: target.canonical.factor) }
        }
        let (value, exact) = decimal(magnitude)
        return UCUMConversion(
            value: value, isExact: exact, usedFloatingPoint: !magnitude.isExact,
            inputSignificantDigits: input.significantDigits, unit: target.code)
    }

    /// The decimal form of a magnitude and whether it is exact (see ``UCUMConversion``).
    static func decimal(_ m: UCUMMagnitude) -> (ExactDecimal, Bool) {
        if !m.isExact { return (m.value.decimal(significantDigits: 15), false) }
        if let exact = m.value.terminatingDecimal { return (exact.normalizedKeepingIntegers, true) }
        return (m.value.decimal(significantDigits: UCUM.maximumSignificantDigits), false)
    }

    static func notCommensurable(_ a: UCUMUnit, _ b: UCUMUnit) -> UCUMError {
        var reason =
            "cannot convert '\(a.code)' to '\(b.code)': they measure different things ('\(a.code)' is \(a.dimension.baseUnitExpression), '\(b.code)' is \(b.dimension.baseUnitExpression) in base units)"
        if a.isArbitrary || b.isArbitrary {
            reason += "; an arbitrary unit such as [IU] converts only to the same arbitrary unit"
        }
        return UCUMError(.notCommensurable, a.code, reason)
    }
}

extension ExactDecimal {
    /// Trailing zeros dropped, but integers kept in plain form (`100`, not `1e2`).
    var normalizedKeepingIntegers: ExactDecimal {
        let n = normalized
        return n.exponent > 0 ? ExactDecimal(significand: n.significand * BigInt(10).power(n.exponent), exponent: 0) : n
    }
}
