import FHIRTestSupport
import Foundation
import Testing

/// `ivig-fhir sample` data is meant to validate, and `sample --faults` puts tagged clinical
/// errors into it that `validate` finds, each on the resource that carries the tag.
@Suite struct SampleValidationCLITests {
    /// What validation must report for each fault (the rule ids of FHIRValidation's DosingRuleID).
    static let expectedRules: [String: Set<String>] = [
        "overdose": ["ivig-daily-dose", "ivig-course-dose"],
        "mg-as-g": ["ivig-admin-dose"],
        "rate-too-fast": ["ivig-rate-max"],
        "reaction-before-infusion": ["ivig-adverse-event-date"],
        "wrong-patient": ["ivig-admin-subject"],
    ]

    /// Writes `sample` output to a file, validates it, and gives the NDJSON lines and the
    /// findings as (line, severity, rule).
    private func sampleAndValidate(_ arguments: [String]) throws -> (lines: [String], findings: [(Int, String, String)], exit: Int32) {
        let sample = try CLIRunner.run(["sample"] + arguments)
        #expect(sample.exitCode == 0, "\(sample.standardError)")
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("samples-\(UUID().uuidString).ndjson")
        try Data(sample.outputBytes).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let validation = try CLIRunner.run(["validate", file.path])
        var findings: [(Int, String, String)] = []
        for line in validation.standardOutput.split(separator: "\n") {
            // file:line:col: severity: message [rule] (FHIRPath); the message and path may hold brackets.
            let parts = line.split(separator: ":", maxSplits: 4, omittingEmptySubsequences: false)
            guard parts.count == 5, let number = Int(parts[1]),
                  let rule = line.firstMatch(of: /\ \[([a-z0-9-]+)\](?: \(|$)/)?.output.1
            else { continue }
            findings.append((number, parts[3].trimmingCharacters(in: .whitespaces), String(rule)))
        }
        return (String(decoding: sample.outputBytes, as: UTF8.self).split(separator: "\n").map(String.init), findings, validation.exitCode)
    }

    @Test func samplesValidateWithNoErrorAndNoWarning() throws {
        let (lines, findings, exit) = try sampleAndValidate(["--count", "4000", "--seed", "3"])
        #expect(lines.count == 4000)
        let problems = findings.filter { $0.1 == "error" || $0.1 == "warning" }
        #expect(problems.isEmpty, "\(problems.prefix(5))")
        #expect(exit == 0)
        // Stopped infusions are reported, as information only.
        #expect(findings.contains { $0.1 == "information" && $0.2 == "ivig-admin-stopped" })
    }

    @Test func everyInjectedFaultIsFoundOnItsResourceAndNothingElseIsAnError() throws {
        let (lines, findings, exit) = try sampleAndValidate(["--count", "4000", "--seed", "4", "--faults", "0.25"])
        #expect(exit == 2)
        let system = #""system":"https://ivig-fhir.example.org/CodeSystem/sample-fault","code":""#
        var faults: [Int: String] = [:]
        for (index, line) in lines.enumerated() {
            guard let start = line.range(of: system) else { continue }
            let rest = line[start.upperBound...]
            faults[index + 1] = String(rest.prefix { $0 != "\"" })
        }
        #expect(Set(faults.values) == Set(Self.expectedRules.keys), "every kind of fault occurs")
        for (line, fault) in faults.sorted(by: { $0.key < $1.key }) {
            let rules = Set(findings.filter { $0.0 == line && $0.1 == "error" }.map(\.2))
            let expected = try #require(Self.expectedRules[fault])
            #expect(!rules.isDisjoint(with: expected), "line \(line), fault \(fault): found \(rules.sorted())")
        }
        let stray = findings.filter { ($0.1 == "error" || $0.1 == "warning") && faults[$0.0] == nil }
        #expect(stray.isEmpty, "errors or warnings on records without a fault: \(stray.prefix(5))")
    }

    @Test func aFaultRateOutsideZeroToOneIsAUsageError() throws {
        let result = try CLIRunner.run(["sample", "--faults", "1.5"])
        #expect(result.exitCode == 64)
        #expect(result.standardError.contains("--faults must be a share from 0 to 1"))
    }
}
