public import BigInt

/// An exact fraction `numerator / denominator` in lowest terms, with a positive denominator.
///
/// UCUM conversion factors such as `1/3` or `5/9` (degrees Fahrenheit) are exact fractions whose
/// decimal expansion never ends; they stay fractions until a result is printed.
public struct ExactRational: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The numerator, with the sign of the value.
    public let numerator: BigInt
    /// The denominator, always positive.
    public let denominator: BigInt

    /// Creates `numerator / denominator` in lowest terms.
    ///
    /// - Parameters:
    ///   - numerator: The numerator.
    ///   - denominator: The denominator; must not be zero.
    public init(_ numerator: BigInt, _ denominator: BigInt = 1) {
        precondition(!denominator.isZero, "ExactRational with a zero denominator")
        var n = numerator
        var d = denominator
        if d.signum() < 0 { n = -n; d = -d }
        if n.magnitude.bitWidth <= UInt.bitWidth, d.magnitude.bitWidth <= UInt.bitWidth {
            // Both fit a word (doses, rates and weights do): reduced in machine arithmetic, since
            // BigInt's divisor and division work on arrays of words.
            let (top, bottom) = (n.magnitude.words.first ?? 0, d.magnitude.words.first ?? 0)
            let g = top == 0 ? bottom : Self.greatestCommonDivisor(top, bottom)
            self.numerator = BigInt(sign: n.sign, magnitude: Self.oneWord(top / g))
            self.denominator = BigInt(sign: .plus, magnitude: Self.oneWord(bottom / g))
            return
        }
        let g = n.greatestCommonDivisor(with: d)
        if g != 1 && !g.isZero { n /= g; d /= g }
        if n.isZero { d = 1 }
        self.numerator = n
        self.denominator = d
    }

    /// A one-word BigUInt. BigInt's initializers from an integer go through an array of words
    /// (an allocation); a multiple of one is kept inline.
    private static func oneWord(_ value: UInt) -> BigUInt {
        value == 0 ? BigUInt() : unitWord.multiplied(byWord: value)
    }
    private static let unitWord: BigUInt = 1

    /// Stein's binary algorithm on two non-zero words.
    private static func greatestCommonDivisor(_ a: UInt, _ b: UInt) -> UInt {
        let twos = (a | b).trailingZeroBitCount
        var x = a >> a.trailingZeroBitCount
        var y = b >> b.trailingZeroBitCount
        while x != y {
            if x < y { swap(&x, &y) }
            x -= y
            x >>= x.trailingZeroBitCount
        }
        return x << twos
    }

    /// The integer `value`.
    public init(_ value: Int) { self.init(BigInt(value), 1) }

    /// The exact value of a decimal.
    public init(_ decimal: ExactDecimal) {
        if decimal.exponent >= 0 {
            self.init(decimal.significand * powerOfTen(decimal.exponent), 1)
        } else {
            self.init(decimal.significand, powerOfTen(-decimal.exponent))
        }
    }

    /// Zero.
    public static let zero = ExactRational(0)
    /// One.
    public static let one = ExactRational(1)

    /// Whether the value is zero.
    public var isZero: Bool { numerator.isZero }

    /// `numerator/denominator`, or just the numerator for an integer: `5/9`, `-3`.
    public var description: String {
        denominator == 1 ? String(numerator) : "\(numerator)/\(denominator)"
    }

    /// The exact sum.
    public static func + (a: ExactRational, b: ExactRational) -> ExactRational {
        ExactRational(a.numerator * b.denominator + b.numerator * a.denominator, a.denominator * b.denominator)
    }
    /// The exact difference.
    public static func - (a: ExactRational, b: ExactRational) -> ExactRational {
        ExactRational(a.numerator * b.denominator - b.numerator * a.denominator, a.denominator * b.denominator)
    }
    /// The exact product.
    public static func * (a: ExactRational, b: ExactRational) -> ExactRational {
        ExactRational(a.numerator * b.numerator, a.denominator * b.denominator)
    }
    /// The value with the opposite sign.
    public static prefix func - (a: ExactRational) -> ExactRational {
        ExactRational(-a.numerator, a.denominator)
    }
    /// Numeric order.
    public static func < (a: ExactRational, b: ExactRational) -> Bool {
        a.numerator * b.denominator < b.numerator * a.denominator
    }

    /// The exact quotient; `divisor` must not be zero.
    public func dividing(by divisor: ExactRational) -> ExactRational {
        ExactRational(numerator * divisor.denominator, denominator * divisor.numerator)
    }

    /// `1 / self`; the value must not be zero.
    public var reciprocal: ExactRational { ExactRational(denominator, numerator) }

    /// The value raised to an integer power (negative powers take the reciprocal); zero must
    /// not be raised to a negative power.
    public func power(_ exponent: Int) -> ExactRational {
        if exponent >= 0 {
            return ExactRational(numerator.power(exponent), denominator.power(exponent))
        }
        return ExactRational(denominator.power(-exponent), numerator.power(-exponent))
    }

    /// The exact decimal when the expansion terminates (the denominator has no prime factor
    /// but 2 and 5), else `nil`. `3/8` gives `0.375`; `1/3` gives `nil`.
    public var terminatingDecimal: ExactDecimal? {
        // Twos by the trailing zero bits, fives 27 at a time (5^27 fits a word): one long
        // division per factor would be thousands for a denominator such as 10^5574 (found by
        // the UCUM fuzz target with the unit `u929`).
        let twos = denominator.magnitude.trailingZeroBitCount
        var d = denominator >> twos
        var fives = 0
        let fivesInAWord = BigInt(7_450_580_596_923_828_125)  // 5^27
        while d % fivesInAWord == 0 { d /= fivesInAWord; fives += 27 }
        while d % 5 == 0 { d /= 5; fives += 1 }
        guard d == 1 else { return nil }
        let k = max(twos, fives)
        let scaled = numerator * (powerOfTen(k) / denominator)
        return ExactDecimal(significand: scaled, exponent: -k)
    }

    /// The value as a decimal with at most `significantDigits` significant digits: exact when it
    /// terminates within them, otherwise rounded by `rounding`.
    ///
    /// - Parameters:
    ///   - significantDigits: The most significant digits to keep (at least 1).
    ///   - rounding: How to round the last kept digit; half-even by default.
    public func decimal(significantDigits: Int, rounding: DecimalRoundingRule = .toNearestOrEven) -> ExactDecimal {
        precondition(significantDigits >= 1, "at least one significant digit")
        if let exact = terminatingDecimal {
            return exact.significantDigits <= significantDigits
                ? exact : exact.rounded(toSignificantDigits: significantDigits, rounding: rounding)
        }
        // Power of ten of the leading digit: 10^m <= |n/d| < 10^(m+1).
        let n = BigInt(numerator.magnitude)
        var m = n.magnitude.decimalDigitCount - denominator.magnitude.decimalDigitCount
        if m >= 0 {
            if n < denominator * powerOfTen(m) { m -= 1 }
        } else if n * powerOfTen(-m) < denominator {
            m -= 1
        }
        let exponent = m - significantDigits + 1
        let q: BigInt
        if exponent >= 0 {
            q = roundedQuotient(numerator, denominator * powerOfTen(exponent), rounding)
        } else {
            q = roundedQuotient(numerator * powerOfTen(-exponent), denominator, rounding)
        }
        return ExactDecimal(significand: q, exponent: exponent)
    }
}
