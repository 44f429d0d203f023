import Foundation
import Testing

/// Runs the built `ivig-fhir` binary. It sits next to the test bundle in the build products
/// folder (whatever `--scratch-path` is); `IVIG_FHIR_BINARY` overrides the lookup.
enum BuiltBinary {
    static var url: URL? {
        var candidates: [URL] = []
        if let override = ProcessInfo.processInfo.environment["IVIG_FHIR_BINARY"] {
            candidates.append(URL(fileURLWithPath: override))
        }
        for start in [Bundle.main.executableURL, URL(fileURLWithPath: CommandLine.arguments[0])].compactMap({ $0 }) {
            var folder = start.deletingLastPathComponent()
            for _ in 0..<4 {
                candidates.append(folder.appendingPathComponent("ivig-fhir"))
                folder = folder.deletingLastPathComponent()
            }
        }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        candidates.append(root.appendingPathComponent(".build/debug/ivig-fhir"))
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) && !$0.hasDirectoryPath }
    }

    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    static func run(_ arguments: [String]) throws -> Result? {
        guard let url else { return nil }
        let process = Process()
        process.executableURL = url
        process.arguments = arguments
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self))
    }
}

@Suite struct UnitsCLITests {
    func run(_ arguments: String...) throws -> BuiltBinary.Result {
        guard let result = try BuiltBinary.run(arguments) else {
            Issue.record("the ivig-fhir binary was not found next to the tests; run `swift build` first")
            return BuiltBinary.Result(status: -1, stdout: "", stderr: "")
        }
        return result
    }

    @Test func convertsAnInfusionRate() throws {
        let r = try run("units", "convert", "0.08", "mL/kg/min", "mL/kg/h")
        #expect(r.stdout == "4.8 mL/kg/h\n")
        #expect(r.stderr == "")
        #expect(r.status == 0)
    }

    @Test func convertsTemperatureThroughTheFunctionWithANegativeValue() throws {
        let r = try run("units", "convert", "--", "-40", "Cel", "[degF]")
        #expect(r.stdout == "-40 [degF]\n")
        #expect(r.status == 0)
    }

    @Test func notesARoundedResult() throws {
        let r = try run("units", "convert", "1", "kg", "[lb_av]")
        #expect(r.stdout == "2.204622621848775807229738013450270338542 [lb_av]\n")
        #expect(r.stderr == "note: the result is rounded to 40 significant digits; the exact value does not end\n")
        #expect(r.status == 0)
    }

    @Test func refusesIncommensurableUnits() throws {
        let r = try run("units", "convert", "1", "mg", "mL")
        #expect(r.stdout == "")
        #expect(r.stderr == "error: cannot convert 'mg' to 'mL': they measure different things ('mg' is g, 'mL' is m3 in base units)\n")
        #expect(r.status == 65)
    }

    @Test func refusesAHumanSpellingWithAHint() throws {
        let r = try run("units", "convert", "1", "mL/hr", "mL/min")
        #expect(r.stdout == "")
        #expect(r.stderr == """
            error: invalid UCUM unit 'mL/hr' at column 4: 'hr' is not a UCUM unit; did you mean 'h'?
              mL/hr
                 ^
            hint: the UCUM code for 'mL/hr' is probably 'mL/h'

            """)
        #expect(r.status == 65)
    }

    @Test func refusesAValueThatIsNotADecimal() throws {
        let r = try run("units", "convert", "0,08", "mL/kg/min", "mL/kg/h")
        #expect(r.stderr == "error: '0,08' is not a decimal number: unexpected character at column 2\n")
        #expect(r.status == 65)
    }

    @Test func checksAValidCode() throws {
        let r = try run("units", "check", "mL/kg/h")
        #expect(r.stdout == """
            mL/kg/h: valid UCUM
              name: (milliliter) / (kilogram) / (hour)
              base units: 1/3600000000000 m3.s-1.g-1

            """)
        #expect(r.stderr == "")
        #expect(r.status == 0)
    }

    @Test func checksAnInvalidCode() throws {
        let r = try run("units", "check", "lbs")
        #expect(r.stdout == "")
        #expect(r.stderr == """
            error: invalid UCUM unit 'lbs' at column 1: 'lbs' is not a UCUM unit; did you mean '[lb_av]'?
              lbs
              ^
            hint: the UCUM code is probably '[lb_av]'

            """)
        #expect(r.status == 65)
    }

    @Test func helpShowsExamples() throws {
        let r = try run("units", "convert", "--help")
        #expect(r.stdout.contains("ivig-fhir units convert 0.08 mL/kg/min mL/kg/h"))
        #expect(r.status == 0)
    }
}
