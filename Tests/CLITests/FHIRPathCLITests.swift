import FHIRTestSupport
import Foundation
import Testing

/// `ivig-fhir fhirpath` through the built binary, on the official FHIRPath suite's inputs.
@Suite struct FHIRPathCLITests {
    func run(_ arguments: [String], input: [UInt8] = []) throws -> CLIRunner.Result {
        try CLIRunner.run(["fhirpath"] + arguments, input: input)
    }

    static func suiteFile(_ name: String) -> String? {
        SharedCorpus.url("fhirpath/r4/" + name)?.path
    }

    @Test func printsEachItemWithItsType() throws {
        guard let patient = Self.suiteFile("patient-example.xml") else {
            print(SharedCorpus.absentMessage)
            return
        }
        let r = try run(["name.where(use = 'official').given", patient])
        #expect(r.standardOutput == "FHIR.string: Peter\nFHIR.string: James\n")
        #expect(r.exitCode == 0)
        let count = try run(["name.given.count() + 0.5", patient])
        #expect(count.standardOutput == "System.Decimal: 5.5\n")
    }

    @Test func readsJSONAndWritesJSON() throws {
        guard let appointment = Self.suiteFile("appointment-examplereq.json") else {
            print(SharedCorpus.absentMessage)
            return
        }
        let r = try run(["--format", "json", "Appointment.status", appointment])
        #expect(
            r.standardOutput == """
                {"input":"\(appointment)","result":[{"type":"FHIR.code","value":"proposed","path":"Appointment.status"}]}

                """)
        #expect(r.exitCode == 0)
    }

    @Test func readsStandardInput() throws {
        let patient = Array(#"{"resourceType":"Patient","id":"p1","birthDate":"1974-12"}"#.utf8)
        let r = try run(["birthDate < @1975 and id = 'p1'", "-"], input: patient)
        #expect(r.standardOutput == "System.Boolean: true\n")
        #expect(r.exitCode == 0)
    }

    @Test func evaluatesWithoutInput() throws {
        let r = try run(["(1.2 / 1.8).round(2) | 4.0 'g'.toString()"])
        #expect(r.standardOutput == "System.Decimal: 0.67\nSystem.String: 4.0 'g'\n")
    }

    @Test func showsTheCaretOnASyntaxError() throws {
        let r = try run(["name.given + "])
        #expect(r.exitCode == 65)
        #expect(r.standardOutput == "")
        #expect(
            r.standardError == """
                FHIRPath syntax error at column 14: expected an expression after '+'
                  name.given + 
                               ^

                """)
    }

    @Test func namesAnUnknownFunction() throws {
        let r = try run(["name.given.frobnicate()"])
        #expect(r.exitCode == 65)
        #expect(r.standardError.contains("unknown function 'frobnicate'"))
        #expect(r.standardError.contains("column 12"))
    }

    @Test func reportsAnEvaluationErrorWithTheInput() throws {
        let patient = Array(#"{"resourceType":"Patient","name":[{"given":["A","B"]}]}"#.utf8)
        let r = try run(["name.given + 'x'", "-"], input: patient)
        #expect(r.exitCode == 65)
        #expect(r.standardError.hasPrefix("-: FHIRPath evaluation error"))
    }
}
