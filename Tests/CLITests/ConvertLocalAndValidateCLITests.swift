import FHIRTestSupport
import Foundation
import Testing

/// `convert --from local`, `--to local`, `--mappings` and `--validate`, run on the built binary.
@Suite struct ConvertLocalAndValidateCLITests {
    func run(_ arguments: [String], input: String = "") throws -> CLIRunner.Result {
        try CLIRunner.run(["convert"] + arguments, input: Array(input.utf8))
    }

    func text(_ path: String) throws -> String {
        try String(contentsOf: SharedCorpus.packageRoot.appendingPathComponent(path), encoding: .utf8)
    }

    static let examples = ["gbs", "kawasaki-infant", "mmn-first-course", "cidp-induction-maintenance"]

    @Test(arguments: examples)
    func localToFHIRAndBackGivesTheSameLines(example: String) throws {
        let local = "Examples/local/\(example).ndjson"
        let toFHIR = try run(["--from", "local", "--to", "ndjson", local])
        #expect(toFHIR.exitCode == 0, "\(toFHIR.standardError)")
        let records = try text(local).split(separator: "\n").count
        #expect(toFHIR.standardOutput.split(separator: "\n").count == records)
        #expect(toFHIR.standardError.contains("\(records) records read, \(records) written, 0 rejected"))

        let back = try run(["--to", "local", "-"], input: toFHIR.standardOutput)
        #expect(back.exitCode == 0, "\(back.standardError)")
        #expect(back.standardOutput == (try text(local)))
    }

    @Test func theCommittedBundleConvertsToTheLocalRecords() throws {
        let r = try run(["--to", "local", "Examples/local/gbs.json"])
        #expect(r.exitCode == 0, "\(r.standardError)")
        #expect(r.standardOutput == (try text("Examples/local/gbs.ndjson")))
    }

    @Test func anUnmappableLocalRecordIsRejectedWithRecordFieldAndValue() throws {
        let lines = try text("Examples/local/gbs.ndjson").split(separator: "\n").map(String.init)
        let order = try #require(
            lines.firstIndex { $0.contains("\"indication\":\"GBS\"") }, "the GBS example has an order")
        var input = lines
        input[order] = lines[order].replacingOccurrences(of: "\"indication\":\"GBS\"", with: "\"indication\":\"GBX\"")
        let rejects = FileManager.default.temporaryDirectory.appendingPathComponent(
            "local-rejects-\(UUID().uuidString).ndjson")
        defer { try? FileManager.default.removeItem(at: rejects) }

        let r = try run(
            ["--from", "local", "--to", "ndjson", "--rejects", rejects.path, "-"],
            input: input.joined(separator: "\n") + "\n")
        #expect(r.exitCode == 1)
        #expect(r.standardOutput.split(separator: "\n").count == lines.count - 1)
        #expect(r.standardError.contains("<stdin>:\(order + 1):1: error: "))
        #expect(r.standardError.contains("field \"indication\" = \"GBX\""))
        #expect(r.standardError.contains("\(lines.count) records read, \(lines.count - 1) written, 1 rejected"))
        let rejected = try String(contentsOf: rejects, encoding: .utf8)
        #expect(rejected.split(separator: "\n").count == 1)
        #expect(rejected.contains("\"line\":\(order + 1)"))
        #expect(rejected.contains("ConceptMap"))
    }

    @Test func aMissingMappingFolderIsAnIOFailure() throws {
        let r = try run(["--from", "local", "--mappings", "/nonexistent/mappings", "Examples/local/gbs.ndjson"])
        #expect(r.exitCode == 74)
        #expect(r.standardError.hasPrefix("/nonexistent/mappings: error: "))
        #expect(r.standardOutput == "")
    }

    @Test func mappingsWithoutLocalIsBadUsage() throws {
        let r = try run(["--mappings", "Mappings", "Examples/cidp-induction-bundle.json"])
        #expect(r.exitCode == 64)
    }

    @Test func validateRejectsRecordsWithErrorsAndWritesTheRest() throws {
        let invalid = "Examples/validation/json/invalid/cidp-mrc-out-of-scale.json"
        let r = try run(["--validate", "--to", "ndjson", invalid])
        #expect(r.exitCode == 1)
        #expect(
            r.standardError.contains(
                "error: MRC sum score 72 is outside its scale of 0–60 points [ivig-strength-scale]"))
        // The path in the input: the Bundle is split into its entries, each checked in place.
        #expect(r.standardError.contains("[Bundle.entry[10].resource.ofType(Observation).valueInteger]"))
        let summary = try #require(r.standardError.split(separator: "\n").last { $0.hasPrefix("summary:") })
        let numbers = summary.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
        // summary: 1 input, READ records read, WRITTEN written, 1 rejected
        #expect(numbers.count == 4)
        #expect(numbers[1] == numbers[2] + numbers[3])
        #expect(numbers[3] == 1)
        #expect(r.standardOutput.split(separator: "\n").count == numbers[2])
    }

    @Test func validateLetsAValidStoryThrough() throws {
        let r = try run(["--validate", "--to", "xml", "Examples/validation/json/valid/gbs-course.json"])
        #expect(r.exitCode == 0, "\(r.standardError)")
        #expect(
            r.standardOutput.hasPrefix(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Bundle xmlns=\"http://hl7.org/fhir\">"))
    }

    @Test func rulesWithoutValidateIsBadUsage() throws {
        let r = try run(["--rules", "Mappings/ivig-dosing-rules.json", "Examples/cidp-induction-bundle.json"])
        #expect(r.exitCode == 64)
    }
}
