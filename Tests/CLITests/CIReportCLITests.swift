import FHIRTestSupport
import Foundation
import Testing

/// `validate --format csv|compact|sarif|junit`, each read back by a reader of the format (Python's
/// csv module, `jsonschema` against the SARIF 2.1.0 schema, `junitparser`) and compared with the
/// OperationOutcome the same run writes as JSON.
@Suite struct CIReportCLITests {
    /// The findings of one validation, as the OperationOutcome JSON says them: file, line,
    /// column, severity, rule, FHIRPath, message.
    struct Finding: Hashable, CustomStringConvertible {
        var file: String, line: Int?, column: Int?, severity: String, rule: String, path: String, message: String
        var description: String { "\(file):\(line ?? -1):\(column ?? -1) \(severity) \(rule) \(path) \(message)" }
    }

    /// An order to compare lists of findings in.
    static func order(_ left: Finding, _ right: Finding) -> Bool { left.description < right.description }

    /// Example stories (valid and invalid, JSON and XML), and an NDJSON file of sample records
    /// with an unreadable line and an id a CSV field must quote.
    static func inputs() throws -> (directory: URL, paths: [String]) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ci-reports-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let sample = try CLIRunner.run(["sample", "--count", "40", "--seed", "5"])
        #expect(sample.exitCode == 0)
        let extra = "not json\n" + #"{"resourceType":"Patient","id":"a,\"b\"","gender":"unknown"}"# + "\n"
        let ndjson = directory.appendingPathComponent("records, \"quoted\".ndjson")
        try Data((sample.standardOutput + extra).utf8).write(to: ndjson)
        return (directory, ["Examples/validation/json", "Examples/validation/xml/invalid", ndjson.path])
    }

    /// The findings of the OperationOutcome(s) `validate --format json` writes.
    static func outcomeFindings(_ paths: [String]) throws -> [Finding] {
        let run = try CLIRunner.run(["validate", "--format", "json"] + paths)
        let root = try #require(try JSONSerialization.jsonObject(with: Data(run.outputBytes)) as? [String: Any])
        let outcomes = (root["entry"] as? [[String: Any]])?.compactMap { $0["resource"] as? [String: Any] } ?? [root]
        return outcomes.flatMap { outcome -> [Finding] in
            let file = ((outcome["extension"] as? [[String: Any]])?.first?["valueString"] as? String) ?? ""
            return (outcome["issue"] as? [[String: Any]] ?? []).compactMap { issue in
                let extensions = issue["extension"] as? [[String: Any]] ?? []
                func integer(_ suffix: String) -> Int? {
                    extensions.first { ($0["url"] as? String)?.hasSuffix(suffix) == true }?["valueInteger"] as? Int
                }
                let details = issue["details"] as? [String: Any] ?? [:]
                guard let rule = (details["coding"] as? [[String: Any]])?.first?["code"] as? String else {
                    return nil  // the "No issues found" of an input without findings
                }
                return Finding(
                    file: file, line: integer("issue-line"), column: integer("issue-col"),
                    severity: issue["severity"] as? String ?? "", rule: rule,
                    path: (issue["expression"] as? [String])?.first ?? "", message: details["text"] as? String ?? "")
            }
        }
    }

    @Test(.enabled(if: PythonTool.missing(modules: ["csv"]) == nil, "needs python3"))
    func csvReadsBackAsTheFindings() throws {
        let (directory, paths) = try Self.inputs()
        defer { try? FileManager.default.removeItem(at: directory) }
        let run = try CLIRunner.run(["validate", "--format", "csv"] + paths)
        #expect(run.exitCode == 65)  // the unreadable line is fatal
        let script = """
            import csv, io, json, sys
            rows = list(csv.reader(io.StringIO(sys.stdin.read(), newline="")))
            print(json.dumps(rows))
            """
        let parsed = try PythonTool.run(script, input: run.outputBytes)
        #expect(parsed.exitCode == 0, "\(parsed.standardError)")
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(parsed.outputBytes)) as? [[String]])
        #expect(rows.first == ["file", "line", "column", "severity", "rule", "fhirpath", "message"])
        let findings = rows.dropFirst().map { row in
            Finding(
                file: row[0], line: Int(row[1]), column: Int(row[2]), severity: row[3], rule: row[4], path: row[5],
                message: row[6])
        }
        let expected = try Self.outcomeFindings(paths)
        #expect(findings.count > 20)
        // The same findings; the CSV lists them record by record, the OperationOutcome by pass.
        #expect(findings.sorted(by: Self.order) == expected.sorted(by: Self.order))
        // The file name and the id with a comma and quotes came through the quoting intact.
        #expect(findings.contains { $0.file.hasSuffix("records, \"quoted\".ndjson") && $0.message.contains("a,\"b\"") })
    }

    @Test(.enabled(if: PythonTool.missing(modules: ["jsonschema"]) == nil, "needs python3 and jsonschema (pip)"))
    func sarifMeetsItsSchemaAndHoldsTheFindings() throws {
        guard let schema = SharedCorpus.url("sarif/sarif-schema-2.1.0.json") else {
            print(SharedCorpus.absentMessage)
            return
        }
        let (directory, paths) = try Self.inputs()
        defer { try? FileManager.default.removeItem(at: directory) }
        let run = try CLIRunner.run(["validate", "--format", "sarif"] + paths)
        #expect(run.exitCode == 65)
        let script = """
            import json, sys, jsonschema
            schema = json.load(open(sys.argv[1]))
            log = json.load(sys.stdin)
            cls = jsonschema.validators.validator_for(schema)
            errors = [e.message for e in cls(schema).iter_errors(log)]
            print(json.dumps({"errors": errors[:5], "count": len(errors)}))
            """
        let checked = try PythonTool.run(script, arguments: [schema.path], input: run.outputBytes)
        #expect(checked.exitCode == 0, "\(checked.standardError)")
        let verdict = try #require(try JSONSerialization.jsonObject(with: Data(checked.outputBytes)) as? [String: Any])
        #expect(verdict["count"] as? Int == 0, "\(verdict["errors"] ?? "")")

        let log = try #require(try JSONSerialization.jsonObject(with: Data(run.outputBytes)) as? [String: Any])
        let theRun = try #require((log["runs"] as? [[String: Any]])?.first)
        let rules = try #require(
            ((theRun["tool"] as? [String: Any])?["driver"] as? [String: Any])?["rules"] as? [[String: Any]])
        let results = try #require(theRun["results"] as? [[String: Any]])
        let levels = ["fatal": "error", "error": "error", "warning": "warning", "information": "note"]
        let found = try results.map { result -> Finding in
            let location = try #require((result["locations"] as? [[String: Any]])?.first)
            let physical = try #require(location["physicalLocation"] as? [String: Any])
            let uri = try #require((physical["artifactLocation"] as? [String: Any])?["uri"] as? String)
            let region = physical["region"] as? [String: Any]
            let index = try #require(result["ruleIndex"] as? Int)
            #expect(rules[index]["id"] as? String == result["ruleId"] as? String)
            return Finding(
                file: try #require(uri.removingPercentEncoding), line: region?["startLine"] as? Int,
                column: region?["startColumn"] as? Int, severity: result["level"] as? String ?? "",
                rule: result["ruleId"] as? String ?? "",
                path: (location["logicalLocations"] as? [[String: Any]])?.first?["fullyQualifiedName"] as? String ?? "",
                message: (result["message"] as? [String: Any])?["text"] as? String ?? "")
        }
        let expected = try Self.outcomeFindings(paths).map { finding in
            var sarif = finding
            sarif.severity = levels[finding.severity] ?? "?"
            return sarif
        }
        #expect(found.count > 20)
        #expect(found.sorted(by: Self.order) == expected.sorted(by: Self.order))
        #expect(Set(rules.compactMap { $0["id"] as? String }) == Set(expected.map(\.rule)))
    }

    @Test(.enabled(if: PythonTool.missing(modules: ["junitparser"]) == nil, "needs python3 and junitparser (pip)"))
    func junitHasATestCasePerRecordFailingOnErrors() throws {
        let (directory, paths) = try Self.inputs()
        defer { try? FileManager.default.removeItem(at: directory) }
        let run = try CLIRunner.run(["validate", "--format", "junit"] + paths)
        #expect(run.exitCode == 65)
        let script = """
            import json, sys
            from junitparser import JUnitXml, TestSuite, Failure
            xml = JUnitXml.fromfile(sys.argv[1])
            suites = []
            for suite in xml:
                cases = [{"name": case.name, "failed": any(isinstance(r, Failure) for r in case.result)}
                         for case in suite]
                suites.append({"name": suite.name, "tests": suite.tests, "failures": suite.failures, "cases": cases})
            print(json.dumps(suites))
            """
        let report = directory.appendingPathComponent("junit.xml")
        try Data(run.outputBytes).write(to: report)
        let read = try PythonTool.run(script, arguments: [report.path])
        #expect(read.exitCode == 0, "\(read.standardError)")
        let suites = try #require(try JSONSerialization.jsonObject(with: Data(read.outputBytes)) as? [[String: Any]])

        // As many suites as inputs and as many cases as records, by the summary line.
        let summary = run.standardError.split(separator: "\n").last.map(String.init) ?? ""
        let numbers = summary.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
        #expect(suites.count == numbers.first)
        let cases = suites.flatMap { $0["cases"] as? [[String: Any]] ?? [] }
        #expect(cases.count == numbers[1])
        for suite in suites {
            let suiteCases = suite["cases"] as? [[String: Any]] ?? []
            #expect(suite["tests"] as? Int == suiteCases.count)
            #expect(suite["failures"] as? Int == suiteCases.filter { $0["failed"] as? Bool == true }.count)
        }
        // A case fails exactly when its record has an error: for the NDJSON file, by line.
        let ndjson = try #require(paths.last)
        let errorLines = Set(
            try Self.outcomeFindings(paths).filter {
                $0.file == ndjson && ($0.severity == "error" || $0.severity == "fatal")
            }.compactMap(\.line))
        let ndjsonCases = try #require(suites.first { $0["name"] as? String == ndjson }?["cases"] as? [[String: Any]])
        #expect(ndjsonCases.count == 42)
        let failingLines = Set(
            ndjsonCases.filter { $0["failed"] as? Bool == true }.compactMap { testCase in
                (testCase["name"] as? String)?.split(separator: ":").first?.split(separator: " ").last.flatMap {
                    Int($0)
                }
            })
        #expect(failingLines == errorLines)
        #expect(failingLines.contains(41) && failingLines.contains(42))
        #expect(ndjsonCases.contains { $0["name"] as? String == "line 42: Patient/a,\"b\"" })
    }

    @Test func compactIsTheHL7ValidatorsStyle() throws {
        let (directory, paths) = try Self.inputs()
        defer { try? FileManager.default.removeItem(at: directory) }
        let run = try CLIRunner.run(["validate", "--format", "compact"] + paths)
        #expect(run.exitCode == 65)
        let expected = try Self.outcomeFindings(paths)
        let display = ["fatal": "Fatal", "error": "Error", "warning": "Warning", "information": "Information"]
        let lines = run.standardOutput.split(separator: "\n").map(String.init)
        for finding in expected {
            let line =
                "[\(finding.line ?? -1), \(finding.column ?? -1)] \(finding.path.isEmpty ? "n/a" : finding.path): "
                + "\(display[finding.severity]!) - \(finding.message) {\(finding.rule)}"
            #expect(lines.contains(line), "missing: \(line)")
        }
        // Each input is headed by a rule and its name; a finding's line sits below its file's.
        let findingLines = lines.filter { $0.hasPrefix("[") }
        #expect(findingLines.count == expected.count)
        let ndjson = try #require(paths.last)
        let header = try #require(lines.firstIndex(of: ndjson))
        #expect(lines[header - 1] == String(repeating: "-", count: 82))
        #expect(lines[(header + 1)...].contains { $0.hasPrefix("[41, 1] n/a: Fatal - ") })
    }
}
