import FHIRJSON
import FHIRTestSupport
import Foundation
import Testing

/// The record pipeline `convert` and `validate` share, through the built binary: what it reads
/// from directories and standard input, and `validate`'s streamed outputs.
@Suite struct PipelineCLITests {
    /// A Patient with its narrative, which validation expects (dom-6, a best-practice warning).
    static let patient =
        #"{"resourceType":"Patient","id":"p1","gender":"female","text":{"status":"generated","#
        + #""div":"<div xmlns=\"http://www.w3.org/1999/xhtml\">A patient</div>"}}"#

    @Test func aNamedPipeAndADanglingLinkInADirectoryAreSkippedWithAWarning() throws {
        let folder = try SampleRecords.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data(Self.patient.utf8).write(to: folder.appendingPathComponent("a.json"))
        #expect(mkfifo(folder.appendingPathComponent("pipe.json").path, 0o600) == 0)
        try FileManager.default.createSymbolicLink(
            atPath: folder.appendingPathComponent("gone.json").path,
            withDestinationPath: folder.appendingPathComponent("missing").path)

        for command in [["convert", "--to", "ndjson"], ["validate"]] {
            let result = try CLIRunner.run(command + [folder.path])
            #expect(result.exitCode == 0, "\(result)")
            #expect(result.standardError.contains("pipe.json: warning: not a regular file (a named pipe); skipped"))
            #expect(result.standardError.contains("gone.json: warning: a symbolic link to nothing"))
        }
    }

    @Test func standardInputWhoseFirstRecordIsOver256KiBIsReadAsNDJSON() throws {
        let long =
            #"{"resourceType":"Patient","id":"big","name":[{"text":""# + String(repeating: "x", count: 300_000)
            + #""}]}"#
        let input = Array((long + "\n" + Self.patient + "\n").utf8)
        let converted = try CLIRunner.run(["convert", "--to", "ndjson", "-"], input: input)
        #expect(converted.exitCode == 0, "\(converted.standardError)")
        #expect(converted.standardOutput.split(separator: "\n").count == 2)
        let validated = try CLIRunner.run(["validate", "-"], input: input)
        #expect(validated.standardError.contains("2 records read, 2 checked"), "\(validated.standardError)")
    }

    @Test func validateWritesOneOperationOutcomePerRecordWithFindingsAsNDJSON() throws {
        let broken = #"{"resourceType":"Patient","id":"p2","gender":"nobody"}"#
        let input = Array([Self.patient, broken, "{", Self.patient].joined(separator: "\n").utf8)
        let result = try CLIRunner.run(["validate", "--format", "ndjson", "-"], input: input)
        let lines = result.standardOutput.split(separator: "\n").map { try? JSONTree.parse(Array($0.utf8)) }
        #expect(lines.count == 2)
        for line in lines {
            guard case .object(let outcome)? = line else {
                Issue.record("not a JSON object: \(result.standardOutput)")
                continue
            }
            #expect(outcome["resourceType"] == .string("OperationOutcome"))
        }
        #expect(result.standardError.contains("4 records read, 3 checked, 1 unreadable"))
    }

    @Test func convertValidateChecksTheNarrativeAsValidateDoes() throws {
        let record =
            #"{"resourceType":"Patient","id":"p3","text":{"status":"generated","div":"<div xmlns=\"http://www.w3.org/1999/xhtml\"><p>open</div>"}}"#
        let converted = try CLIRunner.run(["convert", "--validate", "--to", "ndjson", "-"], input: Array(record.utf8))
        #expect(converted.exitCode != 0)
        #expect(converted.standardError.contains("struct-narrative"), "\(converted.standardError)")
        let validated = try CLIRunner.run(["validate", "-"], input: Array(record.utf8))
        #expect(validated.standardOutput.contains("struct-narrative"))
    }
}
