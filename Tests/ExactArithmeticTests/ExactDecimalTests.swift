import BigInt
import ExactArithmetic
import Testing

@Suite struct ExactDecimalParsingTests {
    @Test(arguments: [
        ("1.50", "150", -2, "1.50", 3),
        ("1e-3", "1", -3, "0.001", 1),
        ("1.0E-5", "10", -6, "0.000010", 2),
        ("-0.08", "-8", -2, "-0.08", 1),
        ("-0", "0", 0, "0", 1),
        ("1e2", "1", 2, "100", 1),
        ("100", "100", 0, "100", 3),
        ("0", "0", 0, "0", 1),
        ("0.0010", "10", -4, "0.0010", 2),
        ("946073047258080000", "946073047258080000", 0, "946073047258080000", 18),
    ])
    func parsesAndKeepsDigits(text: String, significand: String, exponent: Int, plain: String, digits: Int) throws {
        let value = try ExactDecimal(parsing: text)
        #expect(value.significand == BigInt(significand)!)
        #expect(value.exponent == exponent)
        #expect(value.description == plain)
        #expect(value.significantDigits == digits)
    }

    @Test func parsesAVeryLongExponentForm() throws {
        let value = try ExactDecimal(parsing: "1.0E-245")
        #expect(value.description == "0." + String(repeating: "0", count: 244) + "10")
    }

    @Test(arguments: [
        ("", "empty text is not a decimal number"),
        ("1,5", "unexpected character at column 2"),
        (".5", "expected a digit at column 1"),
        ("5.", "expected a digit at column 3"),
        ("1e", "expected a digit at column 3"),
        ("-", "expected a digit at column 2"),
        (" 1", "expected a digit at column 1"),
        ("1.2.3", "unexpected character at column 4"),
        ("1e99999", "exponent at column 3 is larger than 10000"),
        ("+7", "expected a digit at column 1"),
        ("007", "a leading zero at column 1"),
        ("-01.5", "a leading zero at column 2"),
    ])
    func rejectsWithPosition(text: String, message: String) {
        #expect(ExactDecimal(text) == nil)
        do {
            _ = try ExactDecimal(parsing: text)
            Issue.record("\(text) was accepted")
        } catch {
            #expect(error.description == message)
        }
    }
}

@Suite struct ExactDecimalArithmeticTests {
    func d(_ text: String) -> ExactDecimal { ExactDecimal(text)! }

    @Test func addsWithoutBinaryRounding() {
        #expect((d("0.1") + d("0.2")).description == "0.3")
        #expect((d("1.5") + d("0.25")).description == "1.75")
        #expect((d("1") - d("0.001")).description == "0.999")
    }

    @Test func multipliesExactly() {
        #expect((d("6.3") * 4).description == "25.2")
        #expect((d("0.08") * 60).description == "4.80")
        #expect((d("0.45359237") * d("70")).description == "31.75146590")
    }

    @Test func comparesNumerically() {
        #expect(d("1.50") == d("1.5"))
        #expect(!d("1.50").isIdentical(to: d("1.5")))
        #expect(d("1e2") == 100)
        #expect(d("-0.5") < d("0.25"))
        #expect(d("0.999") < 1)
        #expect(Set([d("1.5"), d("1.50"), d("15e-1")]).count == 1)
        #expect([d("2"), d("-1"), d("0.5")].sorted() == [d("-1"), d("0.5"), d("2")])
    }

    @Test func dividesExactlyOnlyWhenTheQuotientTerminates() {
        #expect(d("1").dividedExactly(by: d("8"))?.description == "0.125")
        #expect(d("1").dividedExactly(by: d("3")) == nil)
        #expect(d("1").dividedExactly(by: 0) == nil)
    }

    @Test func dividesToAPrecision() {
        #expect(d("2").divided(by: d("3"), significantDigits: 4)?.description == "0.6667")
        #expect(d("2").divided(by: d("1.5"), significantDigits: 3)?.description == "1.33")
        #expect(d("-2").divided(by: d("3"), significantDigits: 2)?.description == "-0.67")
        #expect(d("1000").divided(by: d("3"), significantDigits: 2)?.description == "330")
    }

    @Test func rounds() {
        #expect(d("0.16002").rounded(toSignificantDigits: 3).description == "0.160")
        #expect(d("1.575").rounded(toSignificantDigits: 2).description == "1.6")
        #expect(d("0.125").rounded(toExponent: -2).description == "0.12")
        #expect(d("0.125").rounded(toExponent: -2, rounding: .toNearestOrAwayFromZero).description == "0.13")
        #expect(d("-0.125").rounded(toExponent: -2, rounding: .toNearestOrAwayFromZero).description == "-0.13")
        #expect(d("0.129").rounded(toExponent: -2, rounding: .towardZero).description == "0.12")
        #expect(d("0.121").rounded(toExponent: -2, rounding: .awayFromZero).description == "0.13")
        #expect(d("9.99").rounded(toSignificantDigits: 2).description == "10.0")
        #expect(d("1.5").rounded(toExponent: -3).description == "1.5")
    }

    @Test func normalizes() {
        #expect(d("1.500").normalized.isIdentical(to: d("1.5")))
        #expect(d("100").normalized.isIdentical(to: d("1e2")))
        #expect(d("0.000").normalized.isIdentical(to: 0))
    }
}

@Suite struct ExactRationalTests {
    @Test func keepsLowestTerms() {
        let r = ExactRational(BigInt(10), BigInt(-4))
        #expect(r.numerator == -5)
        #expect(r.denominator == 2)
        #expect(r.description == "-5/2")
    }

    @Test func arithmetic() {
        let third = ExactRational(BigInt(1), BigInt(3))
        #expect((third + third + third) == .one)
        #expect((third * ExactRational(3)) == .one)
        #expect(third.power(-2) == ExactRational(9))
        #expect(ExactRational(ExactDecimal("0.25")!) == ExactRational(BigInt(1), BigInt(4)))
    }

    @Test func decimalExpansion() {
        #expect(ExactRational(BigInt(3), BigInt(8)).terminatingDecimal?.description == "0.375")
        #expect(ExactRational(BigInt(1), BigInt(3)).terminatingDecimal == nil)
        #expect(ExactRational(BigInt(1), BigInt(3)).decimal(significantDigits: 5).description == "0.33333")
        #expect(ExactRational(BigInt(200), BigInt(3)).decimal(significantDigits: 3).description == "66.7")
        #expect(ExactRational(BigInt(1), BigInt(7000)).decimal(significantDigits: 2).description == "0.00014")
        #expect(ExactRational(BigInt(-1), BigInt(3)).decimal(significantDigits: 1).description == "-0.3")
    }
}
