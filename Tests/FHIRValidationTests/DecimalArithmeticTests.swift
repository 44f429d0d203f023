import ExactArithmetic
import FHIRCore
import FHIRValidation
import Testing

/// FHIR decimals offer exact arithmetic for the validator, with no `Double` in between.
@Suite struct DecimalArithmeticTests {
    @Test func dosePerKilogramTimesWeightIsExact() throws {
        let dosePerKg = try #require(try FHIRDecimal("0.40").exactValue)
        let weight = try #require(try FHIRDecimal("72.5").exactValue)
        let daily = FHIRDecimal(dosePerKg * weight)
        #expect(daily.text == "29.000")
        #expect(daily.isNumericallyEqual(to: try FHIRDecimal("29")))
    }

    @Test func additionThatBinaryFloatingPointGetsWrong() throws {
        let sum = try #require(try FHIRDecimal("0.1").exactValue) + #require(try FHIRDecimal("0.2").exactValue)
        #expect(FHIRDecimal(sum).text == "0.3")
    }

    @Test func spellingsDifferButValuesCompareEqual() throws {
        let a = try FHIRDecimal("1.50"), b = try FHIRDecimal("1.5"), c = try FHIRDecimal("15e-1")
        #expect(a != b)  // the text is the value a lossless conversion keeps
        #expect(a.isNumericallyEqual(to: b) && b.isNumericallyEqual(to: c))
        #expect(try #require(a.exactValue) < #require(try FHIRDecimal("1.51").exactValue))
    }

    @Test func tinyAndHugeExponentsStayExact() throws {
        let tiny = try #require(try FHIRDecimal("1.000000000000000000e-245").exactValue)
        #expect(tiny * ExactDecimal(10).scaled(byPowerOfTen: 244) == ExactDecimal(1))
        #expect(try FHIRDecimal("1e99999").exactValue == nil)  // refused, not computed
    }
}
