import FHIRTestSupport
import Foundation
import Testing

/// `convert --to ndjson --group-by type --output-dir DIR` writes a Bulk Data export folder (a
/// file per resource type, the rejects as OperationOutcomes, `manifest.json`), and such a folder
/// reads back as one input; run with the built binary on generated records.
@Suite struct BulkExportCLITests {
    let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("bulk-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    /// 1200 sample records and two broken lines, as a file.
    func input() throws -> (path: String, records: [String]) {
        let sample = try CLIRunner.run(["sample", "--count", "1200", "--seed", "8"])
        #expect(sample.exitCode == 0)
        let url = directory.appendingPathComponent("night.ndjson")
        try Data((sample.standardOutput + "{\"resourceType\":\n[1]\n").utf8).write(to: url)
        let plain = try CLIRunner.run(["convert", "--to", "ndjson", "-"], input: sample.outputBytes)
        return (url.path, plain.standardOutput.split(separator: "\n").map(String.init))
    }

    func readLines(_ url: URL) throws -> [String] {
        var bytes = try [UInt8](Data(contentsOf: url))
        if bytes.starts(with: [0x1F, 0x8B]) {
            bytes = try ProcessRun.run(
                URL(fileURLWithPath: "/usr/bin/env"), ["gzip", "-dc"], input: bytes, in: directory
            ).outputBytes
        }
        return String(decoding: bytes, as: UTF8.self).split(separator: "\n").map(String.init)
    }

    func resourceType(_ line: String) throws -> String? {
        (try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["resourceType"] as? String
    }

    @Test(arguments: [false, true])
    func filesPerTypeAndAManifestWhoseCountsAddUp(gzip: Bool) throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let (path, records) = try input()
        let out = directory.appendingPathComponent("export")
        let run = try CLIRunner.run(
            ["convert", "--to", "ndjson", "--group-by", "type", "--output-dir", out.path] + (gzip ? ["--gzip"] : []) + [
                path
            ])
        #expect(run.exitCode == 1)
        #expect(run.standardError.contains("1202 records read, 1200 written, 2 rejected"), "\(run.standardError)")

        let manifest = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("manifest.json")))
                as? [String: Any])
        let output = try #require(manifest["output"] as? [[String: Any]])
        #expect(output.count >= 5)
        var written: [String] = []
        for entry in output {
            let type = try #require(entry["type"] as? String)
            let url = try #require(entry["url"] as? String)
            #expect(url == type + (gzip ? ".ndjson.gz" : ".ndjson"))
            let lines = try readLines(out.appendingPathComponent(url))
            #expect(lines.count == entry["count"] as? Int)
            for line in lines { #expect(try resourceType(line) == type) }
            written += lines
        }
        #expect(written.sorted() == records.sorted())

        let errors = try #require(manifest["error"] as? [[String: Any]])
        #expect(errors.count == 1)
        #expect(errors.first?["type"] as? String == "OperationOutcome")
        #expect(errors.first?["count"] as? Int == 2)
        let outcomes = try readLines(out.appendingPathComponent(try #require(errors.first?["url"] as? String)))
        #expect(outcomes.count == 2)
        for outcome in outcomes {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(outcome.utf8)) as? [String: Any])
            #expect(object["resourceType"] as? String == "OperationOutcome")
            let issue = try #require((object["issue"] as? [[String: Any]])?.first)
            #expect(issue["severity"] as? String == "error")
            #expect(((issue["details"] as? [String: Any])?["text"] as? String)?.isEmpty == false)
        }
        // The OperationOutcomes are FHIR the tool reads.
        let check = try CLIRunner.run(
            ["convert", "--to", "ndjson", "-"], input: Array((outcomes.joined(separator: "\n") + "\n").utf8))
        #expect(check.exitCode == 0, "\(check.standardError)")

        // The folder reads back as one input: the files its manifest lists, not the errors.
        let back = try CLIRunner.run(["convert", "--to", "ndjson", out.path])
        #expect(back.exitCode == 0, "\(back.standardError)")
        #expect(
            back.standardError.contains("\(output.count) inputs, 1200 records read, 1200 written, 0 rejected"),
            "\(back.standardError)")
        #expect(back.standardOutput.split(separator: "\n").map(String.init).sorted() == records.sorted())
    }

    @Test func groupByTypeNeedsNDJSONInAFolder() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let run = try CLIRunner.run([
            "convert", "--to", "json", "--group-by", "type", "--output-dir", directory.path,
            "Examples/cidp-induction-bundle.json",
        ])
        #expect(run.exitCode == 64)
        #expect(
            run.standardError.contains(
                "--group-by type writes a Bulk Data folder: it needs --to ndjson and --output-dir"))
    }

    @Test func aManifestNamingAMissingFileIsAnError() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let manifest =
            #"{"output":[{"type":"Patient","url":"https://example.org/x/Patient_1.ndjson","count":1}],"error":[]}"#
        try Data(manifest.utf8).write(to: directory.appendingPathComponent("manifest.json"))
        let run = try CLIRunner.run(["convert", "--to", "ndjson", directory.path])
        #expect(run.exitCode == 74)
        #expect(
            run.standardError.contains("output[0] names 'Patient_1.ndjson', which is not in the folder"),
            "\(run.standardError)")
    }
}
