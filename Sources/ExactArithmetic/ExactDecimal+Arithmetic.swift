import BigInt

extension ExactDecimal {
    /// The two significands brought to the smaller exponent, and that exponent.
    func aligned(with other: ExactDecimal) -> (BigInt, BigInt, Int) {
        if exponent == other.exponent { return (significand, other.significand, exponent) }
        if exponent < other.exponent {
            return (significand, other.significand * powerOfTen(other.exponent - exponent), exponent)
        }
        return (significand * powerOfTen(exponent - other.exponent), other.significand, other.exponent)
    }

    /// The exact sum. Its exponent is the smaller of the two (`1.5 + 0.25` is `1.75`).
    public static func + (lhs: ExactDecimal, rhs: ExactDecimal) -> ExactDecimal {
        let (a, b, e) = lhs.aligned(with: rhs)
        return ExactDecimal(significand: a + b, exponent: e)
    }

    /// The exact difference. Its exponent is the smaller of the two.
    public static func - (lhs: ExactDecimal, rhs: ExactDecimal) -> ExactDecimal {
        let (a, b, e) = lhs.aligned(with: rhs)
        return ExactDecimal(significand: a - b, exponent: e)
    }

    /// The exact product; exponents add (`6.3 × 4` is `25.2`, `0.5 × 0.5` is `0.25`).
    public static func * (lhs: ExactDecimal, rhs: ExactDecimal) -> ExactDecimal {
        ExactDecimal(significand: lhs.significand * rhs.significand, exponent: lhs.exponent + rhs.exponent)
    }

    /// The value with the opposite sign.
    public static prefix func - (operand: ExactDecimal) -> ExactDecimal {
        ExactDecimal(significand: -operand.significand, exponent: operand.exponent)
    }

    /// Adds `rhs` to `lhs` exactly.
    public static func += (lhs: inout ExactDecimal, rhs: ExactDecimal) { lhs = lhs + rhs }
    /// Subtracts `rhs` from `lhs` exactly.
    public static func -= (lhs: inout ExactDecimal, rhs: ExactDecimal) { lhs = lhs - rhs }
    /// Multiplies `lhs` by `rhs` exactly.
    public static func *= (lhs: inout ExactDecimal, rhs: ExactDecimal) { lhs = lhs * rhs }

    /// The absolute value.
    public var magnitude: ExactDecimal {
        isNegative ? -self : self
    }

    /// The value times `10^power`, exactly (only the exponent changes).
    public func scaled(byPowerOfTen power: Int) -> ExactDecimal {
        ExactDecimal(significand: significand, exponent: exponent + power)
    }

    /// The quotient when its decimal expansion terminates (`1 / 8` is `0.125`), or `nil` when it
    /// does not (`1 / 3`) or when `divisor` is zero.
    ///
    /// - Parameter divisor: The number to divide by.
    public func dividedExactly(by divisor: ExactDecimal) -> ExactDecimal? {
        guard !divisor.isZero else { return nil }
        return ExactRational(self).dividing(by: ExactRational(divisor)).terminatingDecimal
    }

    /// The quotient rounded to `significantDigits` significant digits with `rounding`
    /// (`2 / 3` to 4 digits is `0.6667`). A quotient that terminates within that many digits is
    /// exact.
    ///
    /// - Parameters:
    ///   - divisor: The number to divide by; must not be zero.
    ///   - significantDigits: How many significant digits to keep (at least 1).
    ///   - rounding: How to round the last kept digit; half-even by default.
    /// - Returns: The rounded quotient, or `nil` when `divisor` is zero.
    public func divided(
        by divisor: ExactDecimal, significantDigits: Int, rounding: DecimalRoundingRule = .toNearestOrEven
    ) -> ExactDecimal? {
        guard !divisor.isZero else { return nil }
        return ExactRational(self).dividing(by: ExactRational(divisor))
            .decimal(significantDigits: significantDigits, rounding: rounding)
    }
}

extension ExactDecimal: Equatable, Hashable, Comparable {
    /// Numeric equality: `1.50 == 1.5` and `0 == 0.000`.
    public static func == (lhs: ExactDecimal, rhs: ExactDecimal) -> Bool {
        let (a, b, _) = lhs.aligned(with: rhs)
        return a == b
    }

    /// Hashes the numeric value, so equal values (`1.5`, `1.50`) hash alike.
    public func hash(into hasher: inout Hasher) {
        let n = normalized
        hasher.combine(n.significand)
        hasher.combine(n.exponent)
    }

    /// Numeric order.
    public static func < (lhs: ExactDecimal, rhs: ExactDecimal) -> Bool {
        let (a, b, _) = lhs.aligned(with: rhs)
        return a < b
    }
}

extension ExactDecimal: ExpressibleByIntegerLiteral {
    /// Creates an integer value from a literal: `let dose: ExactDecimal = 2`.
    public init(integerLiteral value: Int) {
        self.init(value)
    }
}
