public import ExactArithmetic

/// A value with a UCUM unit, for multiplication and division.
public struct UCUMQuantity: Sendable, Hashable, CustomStringConvertible {
    /// The number.
    public var value: ExactDecimal
    /// The UCUM unit code (`""` or `1` for a pure number).
    public var unit: String

    /// Creates `value unit`.
    public init(value: ExactDecimal, unit: String) {
        self.value = value
        self.unit = unit
    }

    /// `value unit`, such as `3.0 g.m`.
    public var description: String { unit.isEmpty ? "\(value)" : "\(value) \(unit)" }
}

enum UCUMQuantityArithmetic {
    /// `a × b`: values multiply exactly, units join with `.`.
    static func multiply(_ a: UCUMQuantity, _ b: UCUMQuantity) throws(UCUMError) -> UCUMQuantity {
        let ua = try UCUMUnit(a.unit)
        let ub = try UCUMUnit(b.unit)
        try refuseSpecial(ua, "multiply")
        try refuseSpecial(ub, "multiply")
        return UCUMQuantity(value: a.value * b.value, unit: product(a.unit, b.unit))
    }

    /// `a ÷ b`. When the units are commensurable the result is a pure number (unity): `a` is
    /// first converted to `b`'s unit. Otherwise units join with `/`.
    static func divide(_ a: UCUMQuantity, _ b: UCUMQuantity) throws(UCUMError) -> UCUMQuantity {
        let ua = try UCUMUnit(a.unit)
        let ub = try UCUMUnit(b.unit)
        try refuseSpecial(ua, "divide")
        try refuseSpecial(ub, "divide")
        guard !b.value.isZero else {
            throw UCUMError(.invalidValue, b.unit, "cannot divide by zero")
        }
        if ua.isCommensurable(with: ub) && !ua.dimension.isDimensionless {
            let numerator = ExactRational(a.value) * ua.canonical.factor
            let denominator = ExactRational(b.value) * ub.canonical.factor
            let (value, _) = UCUMConverter.decimal(.exact(numerator.dividing(by: denominator)))
            return UCUMQuantity(value: value, unit: "1")
        }
        let (value, _) = UCUMConverter.decimal(.exact(ExactRational(a.value).dividing(by: ExactRational(b.value))))
        return UCUMQuantity(value: value, unit: quotient(a.unit, b.unit))
    }

    private static func refuseSpecial(_ unit: UCUMUnit, _ verb: String) throws(UCUMError) {
        if let special = unit.term.specialComponents.first {
            throw UCUMError(
                .specialUnit, unit.code, at: special.start,
                "cannot \(verb) by a special unit (like Cel, [degF], [pH]): it is not a ratio scale")
        }
    }

    /// A unit that reads correctly after `.` or `/`: `/s` becomes `1/s`.
    private static func operand(_ unit: String) -> String {
        unit.hasPrefix("/") ? "1" + unit : unit
    }

    private static func isUnity(_ unit: String) -> Bool { unit.isEmpty || unit == "1" }

    /// UCUM reads left to right, so `a/b` times `c/d` is simply `a/b.c/d`.
    static func product(_ a: String, _ b: String) -> String {
        if isUnity(b) { return isUnity(a) ? "1" : a }
        if isUnity(a) { return b }
        return a + "." + operand(b)
    }

    /// `a/b` when `b` is one component, else `a/(b)`.
    static func quotient(_ a: String, _ b: String) -> String {
        if isUnity(b) { return isUnity(a) ? "1" : a }
        let single = (try? UCUMParser.parse(b))?.components.count == 1 && !b.hasPrefix("/")
        let divisor = single ? b : "(" + operand(b) + ")"
        return (isUnity(a) ? "1" : a) + "/" + divisor
    }
}
