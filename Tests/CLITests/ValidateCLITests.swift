import FHIRTestSupport
import Foundation
import Testing

/// `ivig-fhir validate` run as a user would: inputs, output formats, rules file, exit codes.
@Suite struct ValidateCLITests {
    func run(_ arguments: [String], input: String = "") throws -> CLIRunner.Result {
        try CLIRunner.run(["validate"] + arguments, input: Array(input.utf8))
    }

    static let courseTooHigh = "Examples/validation/json/invalid/cidp-course-dose-too-high.json"
    static let coursePath = "Bundle.entry[5].resource.ofType(MedicationRequest).dosageInstruction[0].doseAndRate[0].doseQuantity"

    @Test func aValidStoryExitsZeroWithNoFindings() throws {
        let r = try run(["Examples/validation/json/valid/cidp-induction-maintenance.json"])
        #expect(r.exitCode == 0)
        #expect(r.standardOutput == "")
        #expect(r.standardError == "summary: 1 input, 1 record read, 1 checked, 0 unreadable; 0 errors, 0 warnings, 0 information\n")
    }

    @Test func errorsArePrintedAsLinesAndExitTwo() throws {
        let r = try run([Self.courseTooHigh])
        #expect(r.exitCode == 2)
        let lines = r.standardOutput.split(separator: "\n")
        #expect(lines.count == 1)
        let line = try #require(lines.first)
        // file:line:col: severity: message [rule] (FHIRPath)
        #expect(line.hasPrefix(Self.courseTooHigh + ":"))
        #expect(line.contains(": error: the course dose 2.5 g/kg (0.5 g/kg × 5) is outside the CIDP induction range of 2 g/kg"))
        #expect(line.hasSuffix("[ivig-course-dose] (\(Self.coursePath))"))
        let position = line.dropFirst(Self.courseTooHigh.count + 1).split(separator: ":").prefix(2).compactMap { Int($0) }
        #expect(position.count == 2)
        // The line named is the one that holds the element.
        let file = try String(contentsOf: SharedCorpus.packageRoot.appendingPathComponent(Self.courseTooHigh), encoding: .utf8)
        let lineText = file.split(separator: "\n", omittingEmptySubsequences: false)[position[0] - 1]
        #expect(lineText.contains("\"doseQuantity\""))
        #expect(r.standardError == "summary: 1 input, 1 record read, 1 checked, 0 unreadable; 1 error, 0 warnings, 0 information\n")
    }

    @Test func jsonOutputIsAnOperationOutcome() throws {
        let r = try run(["--format", "json", Self.courseTooHigh])
        #expect(r.exitCode == 2)
        let outcome = try #require(try JSONSerialization.jsonObject(with: Data(r.outputBytes)) as? [String: Any])
        #expect(outcome["resourceType"] as? String == "OperationOutcome")
        let issue = try #require((outcome["issue"] as? [[String: Any]])?.first)
        #expect(issue["severity"] as? String == "error")
        #expect(issue["code"] as? String == "business-rule")
        #expect(issue["expression"] as? [String] == [Self.coursePath])
        let details = try #require(issue["details"] as? [String: Any])
        let coding = try #require((details["coding"] as? [[String: Any]])?.first)
        #expect(coding["code"] as? String == "ivig-course-dose")
        #expect((details["text"] as? String)?.hasPrefix("the course dose 2.5 g/kg") == true)
        let extensions = try #require(issue["extension"] as? [[String: Any]])
        #expect(extensions.contains { ($0["url"] as? String)?.hasSuffix("operationoutcome-issue-line") == true && $0["valueInteger"] is Int })
        // It is FHIR the project itself reads back.
        let back = try CLIRunner.run(["convert", "-"], input: r.outputBytes)
        #expect(back.exitCode == 0)
    }

    @Test func xmlOutputIsAnOperationOutcome() throws {
        let r = try run(["--format", "xml", Self.courseTooHigh])
        #expect(r.exitCode == 2)
        #expect(r.standardOutput.contains("<OperationOutcome xmlns=\"http://hl7.org/fhir\">"))
        #expect(r.standardOutput.contains("<code value=\"ivig-course-dose\"/>"))
        let back = try CLIRunner.run(["convert", "--from", "xml", "-"], input: r.outputBytes)
        #expect(back.exitCode == 0)
        #expect(back.standardOutput.contains("\"severity\":\"error\""))
    }

    /// Several inputs: a Bundle of one OperationOutcome per record with findings, naming its file.
    @Test func aDirectoryIsSearchedAndEachRecordWithFindingsGetsAnOutcome() throws {
        let r = try run(["--format", "json", "Examples/validation/json/valid"])
        #expect(r.exitCode == 0)
        let bundle = try #require(try JSONSerialization.jsonObject(with: Data(r.outputBytes)) as? [String: Any])
        #expect(bundle["resourceType"] as? String == "Bundle")
        let entries = try #require(bundle["entry"] as? [[String: Any]])
        #expect(entries.count == 1)  // the one record with a finding (information)
        let files = entries.compactMap { entry -> String? in
            let outcome = entry["resource"] as? [String: Any]
            return ((outcome?["extension"] as? [[String: Any]])?.first?["valueString"] as? String).map { ($0 as NSString).lastPathComponent }
        }
        #expect(files.count == 1 && files.allSatisfy { $0.hasSuffix(".json") })
        #expect(r.standardError == "summary: 7 inputs, 7 records read, 7 checked, 0 unreadable; 0 errors, 0 warnings, 1 information\n")
    }

    @Test func standardInputNDJSONIsOneContext() throws {
        let url = SharedCorpus.packageRoot.appendingPathComponent("Examples/validation/ndjson/pid-replacement.ndjson")
        let ndjson = try String(contentsOf: url, encoding: .utf8)
        let good = try run(["-"], input: ndjson)
        #expect(good.exitCode == 0)
        #expect(good.standardError == "summary: 1 input, 7 records read, 7 checked, 0 unreadable; 0 errors, 0 warnings, 0 information\n")
        let bad = try run([], input: ndjson.replacingOccurrences(of: #""period":4,"#, with: #""period":2,"#))
        #expect(bad.exitCode == 2)
        #expect(bad.standardOutput.hasPrefix("<stdin>:5:"))
    }

    @Test func everyNDJSONLineIsCheckedOrReportedUnreadableEvenAnEmptyOne() throws {
        let url = SharedCorpus.packageRoot.appendingPathComponent("Examples/validation/ndjson/pid-replacement.ndjson")
        var lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map(String.init)
        lines.insert("", at: 2)  // line 3
        lines.insert("   ", at: 4)  // line 5
        lines.insert(#"{"resourceType":"Patient","#, at: 6)  // line 7
        let r = try run(["-"], input: lines.joined(separator: "\r\n") + "\r\n")
        #expect(r.exitCode == 65)
        let fatal = r.standardOutput.split(separator: "\n").filter { $0.contains(": fatal: ") }
        #expect(fatal.count == 3)
        #expect(fatal.first == "<stdin>:3:1: fatal: empty line (NDJSON holds one resource on every line) [struct-syntax]")
        #expect(fatal.dropFirst().first == "<stdin>:5:1: fatal: empty line (NDJSON holds one resource on every line) [struct-syntax]")
        #expect(fatal.last?.hasPrefix("<stdin>:7:") == true)
        #expect(r.standardError == "summary: 1 input, 10 records read, 7 checked, 3 unreadable; 3 errors, 0 warnings, 0 information\n")
    }

    @Test func unusableInputExits65() throws {
        let notFHIR = try run(["-"], input: "name,dose\nMaria,2 g/kg\n")
        #expect(notFHIR.exitCode == 65)
        #expect(notFHIR.standardOutput == "<stdin>:1:1: fatal: the input is neither FHIR JSON (starting with '{') nor FHIR XML (starting with '<') [struct-syntax]\n")
        let broken = try run(["-"], input: "{\"resourceType\": \"Patient\",\n \"gender\": }")
        #expect(broken.exitCode == 65)
        #expect(broken.standardOutput.hasPrefix("<stdin>:2:"))
    }

    @Test func badUsageExits64() throws {
        #expect(try run(["--format", "yaml", Self.courseTooHigh]).exitCode == 64)
        #expect(try run(["--strict", Self.courseTooHigh]).exitCode == 64)
    }

    @Test func unreadableInputOrRulesExit74() throws {
        let missing = try run(["Examples/validation/no-such-file.json"])
        #expect(missing.exitCode == 74)
        #expect(missing.standardError == "Examples/validation/no-such-file.json: error: the input does not exist\n")
        let rules = try run(["--rules", "/nonexistent/rules.json", Self.courseTooHigh])
        #expect(rules.exitCode == 74)
        #expect(rules.standardError == "error: /nonexistent/rules.json: the rules file cannot be read\n")
    }

    @Test func thresholdsComeFromTheRulesFile() throws {
        // The same valid CIDP story fails once the rules file caps induction at 1.5 g/kg.
        let root = SharedCorpus.packageRoot.appendingPathComponent("Mappings")
        var rules = try String(contentsOf: root.appendingPathComponent("ivig-dosing-rules.json"), encoding: .utf8)
        let induction = #""courseGramsPerKg": { "minimum": "2", "maximum": "2" }"#
        #expect(rules.contains(induction))
        rules = rules.replacingOccurrences(of: induction, with: #""courseGramsPerKg": { "minimum": "1", "maximum": "1.5" }"#)
        rules = rules.replacingOccurrences(of: #""productsFile": "products.json""#,
                                           with: #""productsFile": "\#(root.appendingPathComponent("products.json").path)""#)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("ivig-rules-\(UUID().uuidString).json")
        try rules.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let r = try run(["--rules", file.path, "Examples/validation/json/valid/cidp-induction-maintenance.json"])
        #expect(r.exitCode == 2)
        #expect(r.standardOutput.contains("is outside the CIDP induction range of 1–1.5 g/kg"))
        #expect(r.standardOutput.contains("[ivig-course-dose]"))
    }
}
