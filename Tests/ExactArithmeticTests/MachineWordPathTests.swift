import BigInt
import ExactArithmetic
import Testing

/// ExactRational and ExactDecimal compute values of one machine word in machine arithmetic and
/// larger ones with BigInt; these compare both against plain BigInt arithmetic across the edges
/// of a word (2^32, 2^63, 2^64 − 1, 2^64), signs and zero.
@Suite struct MachineWordPathTests {
    /// Integers around the edges of a word, both signs.
    static let integers: [BigInt] = {
        let word = BigInt(1) << 64
        let magnitudes: [BigInt] = [
            0, 1, 2, 3, 7, 10, 12, 60, 1000, 86_400, 1 << 32, (1 << 32) + 1, BigInt(Int.max) - 1, BigInt(Int.max),
            BigInt(1) << 63, (BigInt(1) << 63) + 1, BigInt(10).power(19), word - 2, word - 1, word, word + 1,
            word * 3, word * word,
        ]
        return magnitudes + magnitudes.filter { !$0.isZero }.map { -$0 }
    }()

    /// Fractions from those integers, with denominators that are small, near a word, and past it.
    static let fractions: [(BigInt, BigInt)] = {
        let denominators: [BigInt] = [1, 2, 3, 6, 9, 1 << 32, BigInt(1) << 63, (BigInt(1) << 64) - 1, BigInt(1) << 64]
        return integers.flatMap { n in denominators.map { d in (n, d) } }
    }()

    /// `n / d` in lowest terms with a positive denominator, by BigInt alone.
    static func reduced(_ n: BigInt, _ d: BigInt) -> (BigInt, BigInt) {
        var (n, d) = d.signum() < 0 ? (-n, -d) : (n, d)
        if n.isZero { return (0, 1) }
        let g = n.greatestCommonDivisor(with: d)
        n /= g
        d /= g
        return (n, d)
    }

    static func expect(_ value: ExactRational, is n: BigInt, over d: BigInt, _ what: @autoclosure () -> String) {
        let (en, ed) = reduced(n, d)
        #expect(value.numerator == en && value.denominator == ed, "\(what()): \(value) is not \(en)/\(ed)")
    }

    @Test func fractionsAreReducedAsBigIntReducesThem() {
        for (n, d) in Self.fractions {
            Self.expect(ExactRational(n, d), is: n, over: d, "\(n)/\(d)")
            Self.expect(ExactRational(n, -d), is: -n, over: d, "\(n)/-\(d)")
        }
    }

    @Test func arithmeticMatchesBigInt() {
        // Every seventh: each integer, with denominators in turn, against every other (quick in a debug build).
        let values = Self.fractions.enumerated().filter { $0.offset % 7 == 0 }.map(\.element)
        for (an, ad) in values {
            let a = ExactRational(an, ad)
            Self.expect(-a, is: -an, over: ad, "-(\(a))")
            if !an.isZero { Self.expect(a.reciprocal, is: ad, over: an, "1/(\(a))") }
            for (bn, bd) in values {
                let b = ExactRational(bn, bd)
                Self.expect(a + b, is: an * bd + bn * ad, over: ad * bd, "\(a) + \(b)")
                Self.expect(a - b, is: an * bd - bn * ad, over: ad * bd, "\(a) - \(b)")
                Self.expect(a * b, is: an * bn, over: ad * bd, "\(a) × \(b)")
                if !bn.isZero { Self.expect(a.dividing(by: b), is: an * bd, over: ad * bn, "\(a) ÷ \(b)") }
                let less = an * bd < bn * ad
                #expect((a < b) == less, "\(a) < \(b)")
                #expect((a == b) == (an * bd == bn * ad), "\(a) == \(b)")
            }
        }
    }

    @Test func equalValuesReachedByEitherPathAreEqualAndHashAlike() {
        let big = BigInt(1) << 70
        for (n, d) in Self.fractions {
            let direct = ExactRational(n, d)
            let throughBigInt = ExactRational(n * big, d * big)  // reduced by BigInt's divisor
            #expect(direct == throughBigInt, "\(n)/\(d)")
            #expect(direct.hashValue == throughBigInt.hashValue, "\(n)/\(d)")
            #expect(Set([direct, throughBigInt]).count == 1)
        }
    }

    @Test func integersConvertExactly() {
        for value in [0, 1, -1, 42, -42, Int.max, Int.min, Int.min + 1, 1 << 62] {
            Self.expect(ExactRational(value), is: BigInt(value), over: 1, "\(value)")
            #expect(ExactDecimal(value).significand == BigInt(value))
        }
    }

    @Test func decimalsConvertExactly() {
        let significands: [BigInt] = [
            0, 1, 5, 25, 123_456_789, BigInt(10).power(18), BigInt(10).power(19) - 1, BigInt(10).power(19),
            (BigInt(1) << 64) - 1, BigInt(1) << 64,
        ]
        for magnitude in significands {
            for significand in [magnitude, -magnitude] {
                for exponent in -25...25 {
                    let decimal = ExactDecimal(significand: significand, exponent: exponent)
                    let value = ExactRational(decimal)
                    if exponent >= 0 {
                        Self.expect(value, is: significand * BigInt(10).power(exponent), over: 1, "\(decimal)")
                    } else {
                        Self.expect(value, is: significand, over: BigInt(10).power(-exponent), "\(decimal)")
                    }
                }
            }
        }
    }

    @Test func decimalTextOfEveryLengthParsesAsBigIntReadsIt() throws {
        let digits = "18446744073709551616123456789"
        for length in 1...digits.count {
            let integer = String(digits.prefix(length))
            for text in [integer, "-" + integer, "0." + integer, integer + ".5", "-0.00" + integer] {
                let value = try ExactDecimal(parsing: text)
                let written = text.filter { $0 != "." && $0 != "-" }
                let expected = BigInt(written)! * (text.hasPrefix("-") ? -1 : 1)
                #expect(value.significand == expected, "\(text)")
                #expect(value.description == text, "\(text)")
            }
        }
        for text in ["9999999999999999999", "18446744073709551615", "18446744073709551616", "-0", "0"] {
            #expect(try ExactDecimal(parsing: text).significand == BigInt(text)!, "\(text)")
        }
    }

    @Test func significantDigitsCountTheDigitsAsWritten() {
        var values: [BigInt] = [
            1, 9, 10, 11, 99, 100, (BigInt(1) << 64) - 1, BigInt(1) << 64, BigInt(10).power(25) + 7,
        ]
        for exponent in 1...20 {
            let power = BigInt(10).power(exponent)
            values += [power - 1, power, power + 1]
        }
        for value in values {
            for significand in [value, -value] {
                let decimal = ExactDecimal(significand: significand, exponent: -3)
                #expect(decimal.significantDigits == String(value).count, "\(significand)")
            }
        }
    }
}
