import BigInt
import ExactArithmetic
import Testing

/// `ExactRational` keeps fractions in lowest terms with a positive denominator, whether both
/// parts fit a machine word (reduced in machine arithmetic) or not (reduced with BigInt).
@Suite struct ExactRationalReductionTests {
    /// Values around the edges of one word, signed and not, and ordinary ones.
    static let values: [BigInt] = {
        let word = BigInt(1) << 64
        var values: [BigInt] = [0, 1, 2, 3, 5, 6, 10, 12, 100, 360, 1000, 7_450_580_596_923_828_125]
        values += [word - 1, word, word + 1, word * 3, (word - 1) * 2, BigInt(Int.max), BigInt(Int.max) + 1]
        values += [(word - 1) / 3, (word - 1) / 5, BigInt(1) << 63, BigInt(1) << 62, word * word - 1]
        return values + values.filter { $0 != 0 }.map { -$0 }
    }()

    @Test func everyFractionIsInLowestTermsAndKeepsItsValue() {
        var checked = 0
        for numerator in Self.values {
            for denominator in Self.values where denominator != 0 {
                let fraction = ExactRational(numerator, denominator)
                #expect(fraction.denominator > 0, "\(numerator)/\(denominator)")
                #expect(
                    fraction.numerator * denominator == numerator * fraction.denominator,
                    "\(numerator)/\(denominator) became \(fraction)")
                let divisor = fraction.numerator.magnitude.greatestCommonDivisor(with: fraction.denominator.magnitude)
                #expect(divisor == 1, "\(numerator)/\(denominator) became \(fraction)")
                if numerator == 0 { #expect(fraction.denominator == 1 && fraction.numerator == 0) }
                checked += 1
            }
        }
        #expect(checked > 1000)
    }

    @Test func reducedFractionsCompareAndHashAsTheirValue() {
        let half = ExactRational(BigInt(1), BigInt(2))
        #expect(ExactRational(BigInt(-7), BigInt(-14)) == half)
        #expect(ExactRational(BigInt(1) << 63, BigInt(1) << 64) == half)
        #expect(Set([half, ExactRational(BigInt(50), BigInt(100)), ExactRational(BigInt(3), BigInt(6))]).count == 1)
        #expect(ExactRational(BigInt(6), BigInt(-4)).description == "-3/2")
        #expect(ExactRational(BigInt(0), BigInt(-9)).description == "0")
    }
}
