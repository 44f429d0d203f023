import FHIRCore
import FHIRJSON
import FHIRTestSupport
import FHIRXML
import Foundation
import Testing

/// The reader limits on the built binary: a record past a limit is rejected with its reason and
/// the batch goes on (counts add up); Bundles over `--max-bundle-entries` lose only the entries
/// past it; bad option values are usage errors.
@Suite struct LimitsCLITests {
    static func write(_ bytes: [UInt8], to url: URL) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(bytes).write(to: url)
    }

    static func lines(_ bytes: [UInt8]) -> [String] {
        String(decoding: bytes, as: UTF8.self).split(separator: "\n").map(String.init)
    }

    /// The rejects file's lines as objects.
    static func rejects(_ url: URL) throws -> [[String: JSONTree]] {
        try lines([UInt8](Data(contentsOf: url))).map { line in
            guard case .object(let members) = try JSONTree.parse(Array(line.utf8)) else { return [:] }
            return members
        }
    }

    static func string(_ tree: JSONTree?) -> String? {
        if case .string(let text)? = tree { return text }
        return nil
    }

    static func number(_ tree: JSONTree?) -> String? {
        if case .number(let lexeme)? = tree { return lexeme }
        return nil
    }

    /// A Patient nested `levels` extensions deep (two JSON levels each: an array and an object).
    static func deepPatient(levels: Int) -> String {
        var extensionValue = #"{"url":"http://example.org/x","valueString":"v"}"#
        for _ in 1..<levels { extensionValue = #"{"url":"http://example.org/x","extension":[\#(extensionValue)]}"# }
        return #"{"resourceType":"Patient","id":"deep","extension":[\#(extensionValue)]}"#
    }

    @Test func recordsPastEachLimitAreRejectedWithTheirReasonAndTheRestAreWritten() throws {
        let folder = try SampleRecords.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let good = SampleRecords.lines(count: 6, from: try SampleRecords.exampleLines())
        let tooDeep = Self.deepPatient(levels: 40)  // 81 levels, past the default 64
        let tooLongString =
            #"{"resourceType":"Patient","id":"long","name":[{"text":"\#(String(repeating: "A", count: 5000))"}]}"#
        let names = (0..<100).map { _ in #"{"text":"\#(String(repeating: "B", count: 1000))"}"# }.joined(separator: ",")
        let tooLarge = #"{"resourceType":"Patient","id":"large","name":[\#(names)]}"#  // 100 KiB, no string over 4K
        let input = [good[0], good[1], tooDeep, good[2], tooLongString, good[3], tooLarge, good[4], good[5]]
        let source = folder.appendingPathComponent("night.ndjson")
        try Self.write(Array((input.joined(separator: "\n") + "\n").utf8), to: source)
        let output = folder.appendingPathComponent("out.ndjson"),
            rejectsFile = folder.appendingPathComponent("rejects.ndjson")

        let result = try CLIRunner.run([
            "convert", "--to", "ndjson", "--max-string-bytes", "4K", "--max-record-bytes", "64K",
            "--rejects", rejectsFile.path, "-o", output.path, source.path,
        ])
        #expect(result.exitCode == 1)
        #expect(result.standardError.contains("summary: 1 input, 9 records read, 6 written, 3 rejected"))
        #expect(Self.lines([UInt8](try Data(contentsOf: output))) == good)
        let rejected = try Self.rejects(rejectsFile)
        #expect(rejected.map { Self.number($0["line"]) } == ["3", "5", "7"])
        #expect(rejected.map { Self.string($0["code"]) } == ["too-deep", "too-large", "too-large"])
        let messages = rejected.map { Self.string($0["message"]) ?? "" }
        #expect(messages[0].contains("(limit maxDepth = 64; change it with --max-depth)"))
        #expect(
            messages[1].contains(
                "a string of 5000 bytes is too long (limit maxStringBytes = 4096; change it with --max-string-bytes)"))
        #expect(messages[2].contains("(limit maxRecordBytes = 65536; change it with --max-record-bytes)"))
        // The errors on standard error name the file, line and column too.
        #expect(result.standardError.contains("\(source.path):3:"))
    }

    @Test func raisingALimitLetsTheRecordThrough() throws {
        let tooDeep = Self.deepPatient(levels: 40)
        let refused = try CLIRunner.run(["convert", "--to", "ndjson"], input: Array(tooDeep.utf8))
        #expect(refused.exitCode != 0)
        #expect(refused.standardError.contains("--max-depth"))
        let accepted = try CLIRunner.run(
            ["convert", "--to", "ndjson", "--max-depth", "100"], input: Array(tooDeep.utf8))
        #expect(accepted.exitCode == 0, "\(accepted.standardError)")
        let expected = try FHIRJSONEncoder().encode(
            FHIRJSONDecoder(maxDepth: 100).decode(AnyResource.self, from: Array(tooDeep.utf8)))
        #expect(Self.lines(accepted.outputBytes) == [String(decoding: expected, as: UTF8.self)])
    }

    @Test(arguments: ["json", "xml"])
    func aStreamedBundleOverMaxBundleEntriesRejectsEachEntryPastIt(format: String) throws {
        let folder = try SampleRecords.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let bytes = try [UInt8](
            Data(contentsOf: SharedCorpus.packageRoot.appendingPathComponent(SampleRecords.exampleBundle)))
        let bundle = try FHIRJSONDecoder().decode(Bundle.self, from: bytes)
        let total = bundle.entry.count
        try #require(total > 2)
        let input = folder.appendingPathComponent("bundle.\(format)")
        try Self.write(
            format == "json" ? bytes : FHIRXMLEncoder(pretty: true).encode(AnyResource.bundle(bundle)), to: input)
        let rejectsFile = folder.appendingPathComponent("rejects.ndjson")

        let result = try CLIRunner.run([
            "convert", "--to", "ndjson", "--max-bundle-entries", "2", "--rejects", rejectsFile.path, input.path,
        ])
        #expect(result.exitCode == 1)
        #expect(
            result.standardError.contains("summary: 1 input, \(total) records read, 2 written, \(total - 2) rejected"))
        let expected = try bundle.entry.prefix(2).map {
            try String(decoding: FHIRJSONEncoder().encode(#require($0.resource)), as: UTF8.self)
        }
        #expect(Self.lines(result.outputBytes) == expected)
        let rejected = try Self.rejects(rejectsFile)
        #expect(rejected.count == total - 2)
        #expect(rejected.map { Self.string($0["fhirPath"]) } == (2..<total).map { "Bundle.entry[\($0)]" })
        #expect(rejected.allSatisfy { Self.string($0["message"])?.contains("--max-bundle-entries") == true })
    }

    @Test func validateReportsARecordPastALimitAsFatalAndChecksTheOthers() throws {
        let folder = try SampleRecords.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let records = [
            #"{"resourceType":"Patient","id":"p1"}"#,
            Self.deepPatient(levels: 40),
            #"{"resourceType":"Patient","id":"p3","unknownThing":true}"#,
        ]
        let input = folder.appendingPathComponent("three.ndjson")
        try Self.write(Array(records.joined(separator: "\n").utf8), to: input)
        let result = try CLIRunner.run(["validate", input.path])
        #expect(result.exitCode == 65)
        let lines = Self.lines(Array(result.standardOutput.utf8))
        let limit = lines.filter { $0.contains("struct-limit") }
        #expect(limit.count == 1)
        #expect(limit.first?.hasPrefix("\(input.path):2:") == true)
        #expect(limit.first?.contains("fatal") == true)
        #expect(limit.first?.contains("--max-depth") == true)
        // The record after it was still checked.
        #expect(lines.contains { $0.hasPrefix("\(input.path):3:") && $0.contains("struct-unknown-element") })
        #expect(result.standardError.contains("3 records read"))

        let raised = try CLIRunner.run(["validate", "--max-depth", "100", input.path])
        #expect(!raised.standardOutput.contains("struct-limit"))
    }

    @Test func validateAppliesMaxBundleEntriesToAWholeBundle() throws {
        let result = try CLIRunner.run(["validate", "--max-bundle-entries", "1", SampleRecords.exampleBundle])
        #expect(result.exitCode == 65)
        #expect(result.standardOutput.contains("struct-limit"))
        #expect(result.standardOutput.contains("--max-bundle-entries"))
    }

    @Test(arguments: ["json", "xml"])
    func aDocumentOverMaxRecordBytesIsRejectedAndTheOtherInputsAreConverted(format: String) throws {
        let folder = try SampleRecords.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let small = #"{"resourceType":"Patient","id":"small"}"#
        let smallFile = folder.appendingPathComponent("in/a-small.json")
        try Self.write(Array(small.utf8), to: smallFile)
        let bytes = try [UInt8](
            Data(contentsOf: SharedCorpus.packageRoot.appendingPathComponent(SampleRecords.exampleBundle)))
        let big =
            format == "json"
            ? bytes : try FHIRXMLEncoder().encode(FHIRJSONDecoder().decode(AnyResource.self, from: bytes))
        try #require(big.count > 4096)
        try Self.write(big, to: folder.appendingPathComponent("in/b-big.\(format)"))
        let out = folder.appendingPathComponent("out")

        let result = try CLIRunner.run([
            "convert", "--to", "json", "--max-record-bytes", "4K", "--output-dir", out.path,
            folder.appendingPathComponent("in").path,
        ])
        #expect(result.exitCode == 65)
        #expect(
            result.standardError.contains(
                "b-big.\(format):1:1: error: the document is larger than 4096 bytes"
                    + " (limit maxRecordBytes = 4096; change it with --max-record-bytes)"))
        #expect(result.standardError.contains("summary: 2 inputs, 2 records read, 1 written, 1 rejected"))
        let written = try [UInt8](Data(contentsOf: out.appendingPathComponent("a-small.json")))
        #expect(try JSONTree.parse(written) == JSONTree.parse(Array(small.utf8)))
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("b-big.json").path))
    }

    @Test func validateAppliesMaxRecordBytesAndMaxStringBytesPerRecord() throws {
        let folder = try SampleRecords.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let records = [
            #"{"resourceType":"Patient","id":"p1"}"#,
            #"{"resourceType":"Patient","id":"p2","name":[{"text":"\#(String(repeating: "n", count: 300))"}]}"#,
            #"{"resourceType":"Patient","id":"p3","name":[\#(Array(repeating: #"{"text":"abc"}"#, count: 100).joined(separator: ","))]}"#,
        ]
        let input = folder.appendingPathComponent("three.ndjson")
        try Self.write(Array(records.joined(separator: "\n").utf8), to: input)
        let result = try CLIRunner.run([
            "validate", "--max-string-bytes", "256", "--max-record-bytes", "1K", input.path,
        ])
        #expect(result.exitCode == 65)
        let limit = Self.lines(Array(result.standardOutput.utf8)).filter { $0.contains("struct-limit") }
        #expect(limit.count == 2)
        #expect(
            limit.first?.hasPrefix("\(input.path):2:") == true && limit.first?.contains("--max-string-bytes") == true)
        #expect(limit.last?.hasPrefix("\(input.path):3:") == true && limit.last?.contains("--max-record-bytes") == true)
    }

    @Test(arguments: [
        ["--max-record-bytes", "12Q"], ["--max-record-bytes", "0"], ["--max-depth", "0"], ["--max-depth", "deep"],
        ["--max-string-bytes", "-1"], ["--max-string-bytes", "1.5M"], ["--max-bundle-entries", "1K"],
        ["--max-bundle-entries", ""],
    ])
    func badValuesAreUsageErrors(option: [String]) throws {
        for command in ["convert", "validate"] {
            let result = try CLIRunner.run([command] + option + [SampleRecords.exampleBundle])
            #expect(result.exitCode == 64, "\(command) \(option)")
            #expect(result.standardError.contains(option[0]))
            #expect(result.outputBytes.isEmpty)
        }
    }

    /// Regression: libxml2 stopping inside a streamed XML Bundle (malformed XML, or a value over
    /// its own 10,000,000-byte cap) with more than a pipe's worth of the input still unread
    /// left `convert` waiting forever for the thread feeding libxml2. It must end, exit 65.
    @Test func aStreamedXMLBundleThatBreaksEarlyEndsInsteadOfHanging() throws {
        let folder = try SampleRecords.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let entry = "<entry><resource><Patient><id value=\"p\"/></Patient></resource></entry>\n"
        let xml =
            "<Bundle xmlns=\"http://hl7.org/fhir\"><type value=\"collection\"/>\n<entry><oops></entry>\n"
            + String(repeating: entry, count: 20_000) + "</Bundle>"
        let input = folder.appendingPathComponent("broken.xml")
        try Self.write(Array(xml.utf8), to: input)
        try #require(xml.utf8.count > 1 << 20)  // far more than a pipe buffer after the break
        let process = Process()
        process.executableURL = try CLIRunner.executable()
        process.arguments = ["convert", "--to", "ndjson", input.path]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        let finished = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in finished.signal() }
        try process.run()
        let ended = finished.wait(timeout: .now() + 120) == .success
        if !ended {
            process.terminate()
            finished.wait()
        }
        #expect(ended, "convert hung on a broken streamed XML Bundle")
        #expect(process.terminationStatus == 65)
    }

    @Test func helpShowsTheLimitOptions() throws {
        for command in ["convert", "validate"] {
            let help = try CLIRunner.run([command, "--help"]).standardOutput
            for option in ["--max-record-bytes", "--max-depth", "--max-string-bytes", "--max-bundle-entries"] {
                #expect(help.contains(option), "\(command) --help lacks \(option)")
            }
        }
    }
}
