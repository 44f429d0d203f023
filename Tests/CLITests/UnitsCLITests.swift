import FHIRTestSupport
import Foundation
import Testing

@Suite struct UnitsCLITests {
    func run(_ arguments: String...) throws -> CLIRunner.Result { try CLIRunner.run(arguments) }

    @Test func convertsAnInfusionRate() throws {
        let r = try run("units", "convert", "0.08", "mL/kg/min", "mL/kg/h")
        #expect(r.standardOutput == "4.8 mL/kg/h\n")
        #expect(r.standardError == "")
        #expect(r.exitCode == 0)
    }

    @Test func convertsTemperatureThroughTheFunctionWithANegativeValue() throws {
        let r = try run("units", "convert", "--", "-40", "Cel", "[degF]")
        #expect(r.standardOutput == "-40 [degF]\n")
        #expect(r.exitCode == 0)
    }

    @Test func notesARoundedResult() throws {
        let r = try run("units", "convert", "1", "kg", "[lb_av]")
        #expect(r.standardOutput == "2.204622621848775807229738013450270338542 [lb_av]\n")
        #expect(
            r.standardError == "note: the result is rounded to 40 significant digits; the exact value does not end\n")
        #expect(r.exitCode == 0)
    }

    @Test func refusesIncommensurableUnits() throws {
        let r = try run("units", "convert", "1", "mg", "mL")
        #expect(r.standardOutput == "")
        #expect(
            r.standardError
                == "error: cannot convert 'mg' to 'mL': they measure different things ('mg' is g, 'mL' is m3 in base units)\n"
        )
        #expect(r.exitCode == 65)
    }

    @Test func refusesAHumanSpellingWithAHint() throws {
        let r = try run("units", "convert", "1", "mL/hr", "mL/min")
        #expect(r.standardOutput == "")
        #expect(
            r.standardError == """
                error: invalid UCUM unit 'mL/hr' at column 4: 'hr' is not a UCUM unit; did you mean 'h'?
                  mL/hr
                     ^
                hint: the UCUM code for 'mL/hr' is probably 'mL/h'

                """)
        #expect(r.exitCode == 65)
    }

    @Test func refusesAValueThatIsNotADecimal() throws {
        let r = try run("units", "convert", "0,08", "mL/kg/min", "mL/kg/h")
        #expect(r.standardError == "error: '0,08' is not a decimal number: unexpected character at column 2\n")
        #expect(r.exitCode == 65)
    }

    @Test func checksAValidCode() throws {
        let r = try run("units", "check", "mL/kg/h")
        #expect(
            r.standardOutput == """
                mL/kg/h: valid UCUM
                  name: (milliliter) / (kilogram) / (hour)
                  base units: 1/3600000000000 m3.s-1.g-1

                """)
        #expect(r.standardError == "")
        #expect(r.exitCode == 0)
    }

    @Test func checksAnInvalidCode() throws {
        let r = try run("units", "check", "lbs")
        #expect(r.standardOutput == "")
        #expect(
            r.standardError == """
                error: invalid UCUM unit 'lbs' at column 1: 'lbs' is not a UCUM unit; did you mean '[lb_av]'?
                  lbs
                  ^
                hint: the UCUM code is probably '[lb_av]'

                """)
        #expect(r.exitCode == 65)
    }

    @Test func helpShowsExamples() throws {
        let r = try run("units", "convert", "--help")
        #expect(r.standardOutput.contains("ivig-fhir units convert 0.08 mL/kg/min mL/kg/h"))
        #expect(r.exitCode == 0)
    }
}
