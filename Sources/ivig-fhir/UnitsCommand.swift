import ArgumentParser
import ExactArithmetic
import UCUM

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `ivig-fhir units`: check UCUM codes and convert values, for people checking units by hand.
struct Units: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check UCUM unit codes and convert values between units.",
        discussion: """
            Codes are case-sensitive UCUM (https://ucum.org), as FHIR Quantity.code requires:
            mg, mL/kg/h, [lb_av], 10*3/uL, Cel. Quote codes with [ ] or { } in a shell.

            Examples:
              ivig-fhir units check mL/kg/h
              ivig-fhir units check 'mg/hr'
              ivig-fhir units convert 0.08 mL/kg/min mL/kg/h
              ivig-fhir units convert 154 '[lb_av]' kg
              ivig-fhir units convert -- -40 Cel '[degF]'
            """,
        subcommands: [Check.self, Convert.self]
    )

    /// `units check CODE`.
    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Say whether a code is valid UCUM, and what it means.",
            discussion: """
                Prints the unit in words and in base units, or why the code is invalid, where,
                and the UCUM code that was probably meant (exit code 65).

                Example:
                  ivig-fhir units check 'mg/kg/hr'
                """
        )

        @Argument(help: "A UCUM code, such as mL/kg/h.")
        var code: String

        func run() throws {
            do {
                let unit = try UCUM.parse(code)
                print("\(code): valid UCUM")
                print("  name: \(unit.displayName)")
                print("  base units: \(Units.describe(unit.canonical))")
                if unit.containsSpecialUnit {
                    print("  special unit: values convert through a function, not a factor")
                }
                if unit.isArbitrary {
                    print("  arbitrary unit: converts only to the same arbitrary unit")
                }
            } catch {
                Units.report(error)
                if let suggestion = UCUMHumanSpellings.suggestion(for: code) {
                    Units.printError("hint: the UCUM code is probably '\(suggestion)'")
                }
                throw ExitCodes.unusableInput
            }
        }
    }

    /// `units convert VALUE FROM TO`.
    struct Convert: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Convert a value from one unit to another, exactly.",
            discussion: """
                Prints the converted value and unit. The arithmetic is exact decimal: the value's
                digits never pass through floating point. A result whose decimal expansion does
                not end is rounded to \(UCUM.maximumSignificantDigits) significant digits, and a
                note on standard error says so. Put '--' before a negative value.

                Examples:
                  ivig-fhir units convert 0.08 mL/kg/min mL/kg/h     → 4.8 mL/kg/h
                  ivig-fhir units convert 98.6 '[degF]' Cel          → 37 Cel
                """
        )

        @Argument(help: "The value, as decimal text (0.08, 1.5e3).")
        var value: String
        @Argument(help: "The UCUM unit the value is in.")
        var from: String
        @Argument(help: "The UCUM unit to convert to.")
        var to: String

        func run() throws {
            do {
                let result = try UCUM.convert(value, from: from, to: to)
                print("\(result.value) \(to)")
                if result.usedFloatingPoint {
                    Units.printError(
                        "note: computed in floating point (the special unit's function is a logarithm, power or tangent); \(result.value.significantDigits) significant digits"
                    )
                } else if !result.isExact {
                    Units.printError(
                        "note: the result is rounded to \(result.value.significantDigits) significant digits; the exact value does not end"
                    )
                }
            } catch {
                Units.report(error)
                for code in [from, to] where UCUM.validate(code) != nil {
                    if let suggestion = UCUMHumanSpellings.suggestion(for: code) {
                        Units.printError("hint: the UCUM code for '\(code)' is probably '\(suggestion)'")
                    }
                }
                throw ExitCodes.unusableInput
            }
        }
    }

    static func describe(_ canonical: UCUMCanonicalForm) -> String {
        let factor = canonical.factor.terminatingDecimal?.description ?? canonical.factor.description
        return "\(factor) \(canonical.dimension.baseUnitExpression)"
    }

    static func report(_ error: UCUMError) {
        printError("error: \(error)")
        if error.offset != nil {
            for line in error.snippet.split(separator: "\n", omittingEmptySubsequences: false) {
                printError("  " + line)
            }
        }
    }

    static func printError(_ line: String) {
        var text = line + "\n"
        text.withUTF8 { bytes in _ = write(2, bytes.baseAddress, bytes.count) }
    }
}
