public import BigInt

/// An exact fraction `numerator / denominator` in lowest terms, with a positive denominator.
///
/// UCUM conversion factors such as `1/3` or `5/9` (degrees Fahrenheit) are exact fractions whose
/// decimal expansion never ends; they stay fractions until a result is printed.
public struct ExactRational: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The fraction in machine words whenever both parts fit one (doses, rates and weights do),
    /// and only then, else in BigInts: a value of words is copied without reference counting, and
    /// the operators work on words, since BigInt's arithmetic and divisor work on arrays of words.
    private let storage: Storage

    private enum Storage: Sendable {
        case words(Words)
        /// Numerator and denominator, at least one of them too large for a word.
        case big(BigInt, BigInt)
    }

    /// A fraction in lowest terms as a sign and two machine words; zero is `0/1`, not negative.
    private struct Words: Hashable, Sendable {
        let negative: Bool
        let numerator: UInt
        let denominator: UInt
    }

    /// The numerator, with the sign of the value.
    public var numerator: BigInt {
        switch storage {
        case .words(let words): return BigInt(magnitude: words.numerator, negative: words.negative)
        case .big(let numerator, _): return numerator
        }
    }

    /// The denominator, always positive.
    public var denominator: BigInt {
        switch storage {
        case .words(let words): return BigInt(magnitude: words.denominator, negative: false)
        case .big(_, let denominator): return denominator
        }
    }

    private var words: Words? {
        if case .words(let words) = storage { return words }
        return nil
    }

    /// Creates `numerator / denominator` in lowest terms.
    ///
    /// - Parameters:
    ///   - numerator: The numerator.
    ///   - denominator: The denominator; must not be zero.
    public init(_ numerator: BigInt, _ denominator: BigInt = 1) {
        precondition(!denominator.isZero, "ExactRational with a zero denominator")
        if let top = numerator.magnitude.singleWord, let bottom = denominator.magnitude.singleWord {
            self.init(reducing: top, bottom, negative: (numerator.sign == .minus) != (denominator.sign == .minus))
            return
        }
        var n = numerator
        var d = denominator
        if d.signum() < 0 { n = -n; d = -d }
        let g = n.greatestCommonDivisor(with: d)
        if g != 1 && !g.isZero { n /= g; d /= g }
        if n.isZero { d = 1 }
        self.init(reduced: n, d)
    }

    /// A fraction already in lowest terms with a positive denominator.
    private init(reduced numerator: BigInt, _ denominator: BigInt) {
        if let top = numerator.magnitude.singleWord, let bottom = denominator.magnitude.singleWord {
            storage = .words(Words(negative: numerator.sign == .minus && top != 0, numerator: top, denominator: bottom))
        } else {
            storage = .big(numerator, denominator)
        }
    }

    /// `top / bottom` with the sign `negative`, reduced in machine arithmetic; `bottom` is not zero.
    private init(reducing top: UInt, _ bottom: UInt, negative: Bool) {
        let g = top == 0 ? bottom : Self.greatestCommonDivisor(top, bottom)
        self.init(words: Words(negative: negative && top != 0, numerator: top / g, denominator: bottom / g))
    }

    /// A fraction of machine words already in lowest terms.
    private init(words: Words) {
        storage = .words(words)
    }

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
    public init(_ value: Int) {
        self.init(words: Words(negative: value < 0, numerator: value.magnitude, denominator: 1))
    }

    /// The exact value of a decimal.
    public init(_ decimal: ExactDecimal) {
        if let significand = decimal.significand.magnitude.singleWord,
            case let negative = decimal.significand.sign == .minus
        {
            if decimal.exponent <= 0, -decimal.exponent < powersOfTenInAWord.count {
                self.init(reducing: significand, powersOfTenInAWord[-decimal.exponent], negative: negative)
                return
            }
            if decimal.exponent > 0, decimal.exponent < powersOfTenInAWord.count,
                case let (scaled, overflow) = significand.multipliedReportingOverflow(
                    by: powersOfTenInAWord[decimal.exponent]),
                !overflow
            {
                self.init(words: Words(negative: negative && scaled != 0, numerator: scaled, denominator: 1))
                return
            }
        }
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
    public var isZero: Bool { words.map { $0.numerator == 0 } ?? numerator.isZero }

    /// `numerator/denominator`, or just the numerator for an integer: `5/9`, `-3`.
    public var description: String {
        denominator == 1 ? String(numerator) : "\(numerator)/\(denominator)"
    }

    /// Numeric equality (a fraction in lowest terms is written one way only).
    public static func == (a: ExactRational, b: ExactRational) -> Bool {
        if let x = a.words, let y = b.words { return x == y }
        return a.words == nil && b.words == nil && a.numerator == b.numerator && a.denominator == b.denominator
    }

    /// Hashes the numerator and denominator.
    public func hash(into hasher: inout Hasher) {
        if let words {
            hasher.combine(words)
        } else {
            hasher.combine(numerator)
            hasher.combine(denominator)
        }
    }

    /// The exact sum.
    public static func + (a: ExactRational, b: ExactRational) -> ExactRational {
        if let x = a.words, let y = b.words, let sum = Self.sum(x, y, negatingSecond: false) { return sum }
        return ExactRational(a.numerator * b.denominator + b.numerator * a.denominator, a.denominator * b.denominator)
    }
    /// The exact difference.
    public static func - (a: ExactRational, b: ExactRational) -> ExactRational {
        if let x = a.words, let y = b.words, let difference = Self.sum(x, y, negatingSecond: true) {
            return difference
        }
        return ExactRational(a.numerator * b.denominator - b.numerator * a.denominator, a.denominator * b.denominator)
    }
    /// The exact product.
    public static func * (a: ExactRational, b: ExactRational) -> ExactRational {
        if let x = a.words, let y = b.words,
            let product = Self.fraction(
                (x.numerator, y.numerator), over: (x.denominator, y.denominator), negative: x.negative != y.negative)
        {
            return product
        }
        return ExactRational(a.numerator * b.numerator, a.denominator * b.denominator)
    }
    /// The value with the opposite sign.
    public static prefix func - (a: ExactRational) -> ExactRational {
        if let x = a.words {
            return ExactRational(
                words: Words(
                    negative: !x.negative && x.numerator != 0, numerator: x.numerator, denominator: x.denominator))
        }
        return ExactRational(-a.numerator, a.denominator)
    }
    /// Numeric order.
    public static func < (a: ExactRational, b: ExactRational) -> Bool {
        if let x = a.words, let y = b.words {
            if x.negative != y.negative { return x.negative }
            let left = x.numerator.multipliedFullWidth(by: y.denominator)
            let right = y.numerator.multipliedFullWidth(by: x.denominator)
            return x.negative
                ? (right.high, right.low) < (left.high, left.low) : (left.high, left.low) < (right.high, right.low)
        }
        return a.numerator * b.denominator < b.numerator * a.denominator
    }

    /// The exact quotient; `divisor` must not be zero.
    public func dividing(by divisor: ExactRational) -> ExactRational {
        if let x = words, let y = divisor.words, y.numerator != 0,
            let quotient = Self.fraction(
                (x.numerator, y.denominator), over: (x.denominator, y.numerator), negative: x.negative != y.negative)
        {
            return quotient
        }
        return ExactRational(numerator * divisor.denominator, denominator * divisor.numerator)
    }

    /// `1 / self`; the value must not be zero.
    public var reciprocal: ExactRational {
        if let x = words, x.numerator != 0 {
            return ExactRational(words: Words(negative: x.negative, numerator: x.denominator, denominator: x.numerator))
        }
        return ExactRational(denominator, numerator)
    }

    /// `x ± y` in machine words, or `nil` when a product or the sum does not fit one.
    private static func sum(_ x: Words, _ y: Words, negatingSecond: Bool) -> ExactRational? {
        let (left, leftOverflow) = x.numerator.multipliedReportingOverflow(by: y.denominator)
        let (right, rightOverflow) = y.numerator.multipliedReportingOverflow(by: x.denominator)
        let (bottom, bottomOverflow) = x.denominator.multipliedReportingOverflow(by: y.denominator)
        guard !leftOverflow, !rightOverflow, !bottomOverflow else { return nil }
        let rightNegative = y.negative != (negatingSecond && y.numerator != 0)
        if x.negative == rightNegative {
            let (top, overflow) = left.addingReportingOverflow(right)
            guard !overflow else { return nil }
            return ExactRational(reducing: top, bottom, negative: x.negative)
        }
        return left >= right
            ? ExactRational(reducing: left - right, bottom, negative: x.negative)
            : ExactRational(reducing: right - left, bottom, negative: rightNegative)
    }

    /// The product of the two `top` words over the product of the two `bottom` words (not zero),
    /// in machine words, or `nil` when a product does not fit one.
    private static func fraction(_ top: (UInt, UInt), over bottom: (UInt, UInt), negative: Bool) -> ExactRational? {
        let (top, topOverflow) = top.0.multipliedReportingOverflow(by: top.1)
        let (bottom, bottomOverflow) = bottom.0.multipliedReportingOverflow(by: bottom.1)
        guard !topOverflow, !bottomOverflow else { return nil }
        return ExactRational(reducing: top, bottom, negative: negative)
    }

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
