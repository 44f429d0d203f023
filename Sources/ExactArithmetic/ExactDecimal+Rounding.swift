import BigInt

extension ExactDecimal {
    /// The value rounded so that its last digit is at `10^exponent` (`exponent` -2 keeps two
    /// fraction digits). A value already that coarse is returned unchanged (no zeros are added).
    ///
    /// - Parameters:
    ///   - exponent: The power of ten of the last kept digit.
    ///   - rounding: How to round; half-even by default.
    public func rounded(toExponent exponent: Int, rounding: DecimalRoundingRule = .toNearestOrEven) -> ExactDecimal {
        if self.exponent >= exponent { return self }
        let divisor = powerOfTen(exponent - self.exponent)
        return ExactDecimal(significand: roundedQuotient(significand, divisor, rounding), exponent: exponent)
    }

    /// The value rounded to `digits` significant digits (`0.16002` to 3 is `0.160`,
    /// `1.575` to 2 is `1.6`). A value with fewer digits is returned unchanged.
    ///
    /// - Parameters:
    ///   - digits: How many significant digits to keep (at least 1).
    ///   - rounding: How to round; half-even by default.
    public func rounded(toSignificantDigits digits: Int, rounding: DecimalRoundingRule = .toNearestOrEven)
        -> ExactDecimal
    {
        precondition(digits >= 1, "at least one significant digit")
        if significand.isZero { return self }
        return rounded(toExponent: magnitudeExponent - digits + 1, rounding: rounding)
    }
}

/// `n / d` rounded to an integer by `rule`; `d` must be positive.
func roundedQuotient(_ n: BigInt, _ d: BigInt, _ rule: DecimalRoundingRule) -> BigInt {
    precondition(d.signum() > 0, "divisor must be positive")
    let (q, r) = n.quotientAndRemainder(dividingBy: d)  // truncates toward zero
    if r.isZero { return q }
    let away: BigInt = n.signum() < 0 ? -1 : 1
    switch rule {
    case .towardZero:
        return q
    case .awayFromZero:
        return q + away
    case .toNearestOrAwayFromZero, .toNearestOrEven:
        let twice = BigInt(r.magnitude) * 2
        if twice > d { return q + away }
        if twice < d { return q }
        if rule == .toNearestOrAwayFromZero { return q + away }
        return q.magnitude % 2 == 0 ? q : q + away
    }
}
