import ExactArithmetic
import Testing
import UCUM

@Suite struct UCUMConversionTests {
    @Test func infusionRateIsExact() throws {
        let result = try UCUM.convert("0.08", from: "mL/kg/min", to: "mL/kg/h")
        #expect(result.value.description == "4.8")
        #expect(result.isExact)
        #expect(result.inputSignificantDigits == 1)
    }

    @Test func poundsToKilograms() throws {
        let result = try UCUM.convert("154", from: "[lb_av]", to: "kg")
        #expect(result.value.description == "69.85322498")
        #expect(result.isExact)
        #expect(
            try UCUM.convert("1", from: "kg", to: "[lb_av]").value.description
                == "2.204622621848775807229738013450270338542")
        #expect(try !UCUM.convert("1", from: "kg", to: "[lb_av]").isExact)
    }

    @Test func dosePerWeight() throws {
        #expect(try UCUM.convert("2", from: "g/kg", to: "mg/kg").value.description == "2000")
        #expect(try UCUM.convert("400", from: "mg/kg", to: "g/kg").value.description == "0.4")
        #expect(try UCUM.convert("1", from: "mg/dL", to: "g/L").value.description == "0.01")
    }

    @Test func precisionOfTheInputIsReportedNotImposed() throws {
        let result = try UCUM.convert("6.3", from: "[in_i]", to: "cm")
        #expect(result.value.description == "16.002")
        #expect(result.valueAtInputPrecision.description == "16")
    }

    @Test func temperaturesThroughTheirFunctions() throws {
        #expect(try UCUM.convert("37", from: "Cel", to: "[degF]").value.description == "98.6")
        #expect(try UCUM.convert("98.6", from: "[degF]", to: "Cel").value.description == "37")
        #expect(try UCUM.convert("-40", from: "[degF]", to: "Cel").value.description == "-40")
        #expect(try UCUM.convert("0", from: "Cel", to: "K").value.description == "273.15")
        #expect(try UCUM.convert("300", from: "K", to: "Cel").value.description == "26.85")
        #expect(try UCUM.convert("1000", from: "mCel", to: "Cel").value.description == "1")
        #expect(try UCUM.convert("0", from: "[degRe]", to: "Cel").value.description == "0")
    }

    @Test func logarithmicUnits() throws {
        let exact = try UCUM.convert("7", from: "[pH]", to: "mol/L")
        #expect(exact.value.description == "0.0000001")
        #expect(exact.isExact && !exact.usedFloatingPoint)
        #expect(try UCUM.convert("0.001", from: "mol/L", to: "[pH]").value.description == "3")
        let approximate = try UCUM.convert("7.4", from: "[pH]", to: "mol/L")
        #expect(approximate.usedFloatingPoint && !approximate.isExact)
        #expect(approximate.value.rounded(toSignificantDigits: 6).description == "0.0000000398107")
        #expect(try UCUM.convert("20", from: "dB[SPL]", to: "B[SPL]").value.description == "2")
    }

    @Test(arguments: [
        (
            "1", "mg", "mL", "ucum-not-commensurable",
            "cannot convert 'mg' to 'mL': they measure different things ('mg' is g, 'mL' is m3 in base units)"
        ),
        (
            "1", "[IU]", "mg", "ucum-not-commensurable",
            "cannot convert '[IU]' to 'mg': they measure different things ('[IU]' is [iU], 'mg' is g in base units); an arbitrary unit such as [IU] converts only to the same arbitrary unit"
        ),
        (
            "1", "Cel/h", "K/h", "ucum-special-unit",
            "invalid UCUM unit 'Cel/h' at column 1: a special unit (like Cel, [degF], [pH]) converts only on its own, without an exponent or other units; 'Cel/h' cannot be converted"
        ),
        ("0", "mol/L", "[pH]", "ucum-out-of-domain", "'[pH]' is a logarithmic unit: only a positive value has one"),
        ("1,5", "mg", "g", "ucum-invalid-value", "'1,5' is not a decimal number: unexpected character at column 2"),
        (
            "1", "mg", "gm", "ucum-unknown-unit",
            "invalid UCUM unit 'gm' at column 1: 'gm' is not a UCUM unit; did you mean 'g'?"
        ),
    ])
    func refusesWithAReason(value: String, from: String, to: String, rule: String, message: String) {
        do {
            let result = try UCUM.convert(value, from: from, to: to)
            Issue.record("converted to \(result)")
        } catch {
            #expect(error.code.description == rule)
            #expect(error.description == message)
        }
    }
}

@Suite struct UCUMQuantityArithmeticTests {
    func q(_ value: String, _ unit: String) -> UCUMQuantity { UCUMQuantity(value: ExactDecimal(value)!, unit: unit) }

    @Test func multiplies() throws {
        let dose = try UCUM.multiply(q("0.4", "g/kg"), q("70.5", "kg"))
        #expect(dose.description == "28.20 g/kg.kg")
        #expect(try UCUM.convert(dose.value, from: dose.unit, to: "g").value.description == "28.2")
        #expect(try UCUM.multiply(q("2", "m"), q("3", "/s")).unit == "m.1/s")
    }

    @Test func divides() throws {
        let rate = try UCUM.divide(q("500", "mL"), q("4", "h"))
        #expect(rate.description == "125 mL/h")
        let perWeight = try UCUM.divide(q("35", "g"), q("70", "kg.d"))
        #expect(perWeight.description == "0.5 g/(kg.d)")
        let ratio = try UCUM.divide(q("1", "[lb_av]/h"), q("1", "kg/s"))
        #expect(ratio.unit == "1")
        #expect(ratio.value.description == "0.0001259978805555555555555555555555555555556")
    }

    @Test func refusesSpecialUnitsAndZero() {
        #expect(throws: UCUMError.self) { try UCUM.multiply(q("2", "Cel"), q("3", "s")) }
        do {
            _ = try UCUM.divide(q("1", "mg"), q("0", "mL"))
            Issue.record("divided by zero")
        } catch {
            #expect(error.description == "cannot divide by zero")
        }
    }
}

/// The conversions an IVIG order needs, with the product's concentration stated.
@Suite struct IVIGUnitTests {
    func quantity(_ value: String, _ unit: String) throws -> UCUMQuantity {
        UCUMQuantity(value: try ExactDecimal(parsing: value), unit: unit)
    }

    /// Privigen 10% is 100 mg/mL: its label's maximum of 8 mg/kg/min is 0.08 mL/kg/min, 4.8 mL/kg/h.
    @Test(arguments: [("8", "100", "4.8"), ("0.5", "100", "0.3"), ("1", "50", "1.2")])
    func massRateToVolumeRateAtAConcentration(mgPerKgPerMin: String, mgPerML: String, expected: String) throws {
        let volumeRate = try UCUM.divide(quantity(mgPerKgPerMin, "mg/kg/min"), quantity(mgPerML, "mg/mL"))
        let converted = try UCUM.convert(volumeRate.value, from: volumeRate.unit, to: "mL/kg/h")
        #expect(converted.value == (try ExactDecimal(parsing: expected)))
        #expect(converted.isExact)
    }

    @Test func volumeRateBackToMassRateAtAConcentration() throws {
        let massRate = try UCUM.multiply(quantity("4.8", "mL/kg/h"), quantity("100", "mg/mL"))
        let converted = try UCUM.convert(massRate.value, from: massRate.unit, to: "mg/kg/min")
        #expect(converted.value == (try ExactDecimal(parsing: "8")))
    }

    @Test func gramsPerKilogramIsADosePerWeight() throws {
        #expect(try UCUM.isCommensurable("g/kg", "mg/kg"))
        #expect(try !UCUM.isCommensurable("g/kg", "g"))  // a per-kg dose is not a dose
        #expect(try UCUM.convert("0.4", from: "g/kg", to: "mg/kg").value == ExactDecimal(400))
    }

    @Test func igGTroughInGramsPerLitreAndMilligramsPerDecilitre() throws {
        #expect(try UCUM.convert("6", from: "g/L", to: "mg/dL").value == ExactDecimal(600))
        #expect(try UCUM.convert("750", from: "mg/dL", to: "g/L").value == (try ExactDecimal(parsing: "7.5")))
    }

    @Test func bodyWeightInPounds() throws {
        #expect(try UCUM.convert("160", from: "[lb_av]", to: "kg").value == (try ExactDecimal(parsing: "72.5747792")))
    }
}
