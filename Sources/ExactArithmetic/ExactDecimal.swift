public import BigInt

/// An exact decimal number: an integer significand times a power of ten.
///
/// `ExactDecimal` never goes through `Double`: `0.1 + 0.2` is exactly `0.3`, and a value keeps
/// the digits it was written with. `1.50` is stored as `150 × 10⁻²`, so its ``description`` is
/// `1.50` again and its ``significantDigits`` is 3, while it compares equal to `1.5`.
///
/// Equality, hashing and ordering are numeric (`1.50 == 1.5`); use ``isIdentical(to:)`` to ask
/// whether two values were also written the same way.
///
/// - Note: Addition, subtraction and multiplication are exact. Division is exact when the
///   quotient terminates (``dividedExactly(by:)``); otherwise round it to a stated precision with
///   ``divided(by:significantDigits:rounding:)``. For exact fractions use ``ExactRational``.
public struct ExactDecimal: Sendable {
    /// The integer digits of the value, with its sign: `150` for `1.50`, `-3` for `-0.03`.
    public let significand: BigInt
    /// The power of ten the significand is scaled by: `-2` for `1.50`, `3` for `1e3`.
    public let exponent: Int

    /// The largest exponent magnitude accepted when parsing text (`1e10000` is accepted,
    /// `1e10001` is not), so that one hostile value cannot allocate gigabytes of digits.
    public static let maximumExponentMagnitude = 10_000

    /// Creates the value `significand × 10^exponent`, keeping both as given.
    ///
    /// - Parameters:
    ///   - significand: The integer digits, with the sign.
    ///   - exponent: The power of ten.
    public init(significand: BigInt, exponent: Int) {
        self.significand = significand
        self.exponent = exponent
    }

    /// Creates the integer `value` exactly (exponent 0).
    public init(_ value: Int) {
        self.init(significand: BigInt(word: value), exponent: 0)
    }

    /// Creates the integer `value` exactly (exponent 0).
    public init(_ value: BigInt) {
        self.init(significand: value, exponent: 0)
    }

    /// Zero, written `0`.
    public static let zero = ExactDecimal(0)
    /// One, written `1`.
    public static let one = ExactDecimal(1)

    /// Whether the value is zero (whatever its exponent: `0.00` is zero).
    public var isZero: Bool { significand.isZero }

    /// Whether the value is below zero.
    public var isNegative: Bool { significand.sign == .minus && !significand.isZero }

    /// The number of significant digits as written: the digits of the significand without
    /// leading zeros. `1.50` has 3, `0.0010` has 2, `100` has 3, `1e2` has 1, and zero has 1.
    ///
    /// Trailing zeros of an integer are counted because the text cannot say whether they were
    /// measured; write `1e2` for one significant digit.
    public var significantDigits: Int {
        significand.isZero ? 1 : significand.magnitude.decimalDigitCount
    }

    /// The bits of the significand's magnitude (about 3.3 per digit): a cheap measure of size
    /// for callers that bound their work, where ``significantDigits`` would format the number.
    public var significandBitWidth: Int { significand.magnitude.bitWidth }

    /// The number of digits after the decimal point as written: 2 for `1.50`, 0 for `12` and
    /// for `1e2`.
    public var fractionDigits: Int { max(0, -exponent) }

    /// The same value with trailing zeros of the significand removed (`1.500` → `1.5`,
    /// `100` → `1e2`); zero becomes `0`.
    public var normalized: ExactDecimal {
        if significand.isZero { return .zero }
        var digits = significand
        var exp = exponent
        // Nineteen zeros at a time first (10^19 fits a word), so a significand with thousands of
        // trailing zeros takes hundreds of long divisions, not thousands.
        for (step, divisor) in [(19, BigInt(10).power(19)), (1, BigInt(10))] {
            while true {
                let (q, r) = digits.quotientAndRemainder(dividingBy: divisor)
                if !r.isZero { break }
                digits = q
                exp += step
            }
        }
        return ExactDecimal(significand: digits, exponent: exp)
    }

    /// Whether `other` has the same value and was written with the same digits and exponent
    /// (`1.5` is not identical to `1.50`, though they are equal).
    public func isIdentical(to other: ExactDecimal) -> Bool {
        significand == other.significand && exponent == other.exponent
    }

    /// The power of ten of the most significant digit: 0 for `1.5`, 2 for `150`, -3 for
    /// `0.0015`. Zero gives `exponent`.
    public var magnitudeExponent: Int {
        significand.isZero ? exponent : exponent + significantDigits - 1
    }
}

extension BigUInt {
    /// The number of decimal digits of the value (1 for zero).
    var decimalDigitCount: Int {
        if isZero { return 1 }
        if let word = singleWord { return powersOfTenInAWord.firstIndex { word < $0 } ?? powersOfTenInAWord.count }
        return String(self).utf8.count
    }
}

/// `10^n` for `n ≥ 0`.
func powerOfTen(_ n: Int) -> BigInt {
    precondition(n >= 0, "negative power of ten")
    return BigInt(10).power(n)
}
