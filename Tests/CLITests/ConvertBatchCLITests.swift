import FHIRCore
import FHIRJSON
import FHIRTestSupport
import FHIRXML
import Foundation
import Testing

/// `ivig-fhir convert` on batches, run as the built binary on real files, directories and pipes.
@Suite struct ConvertBatchCLITests {
    static func exampleBytes() throws -> [UInt8] {
        try [UInt8](Data(contentsOf: SharedCorpus.packageRoot.appendingPathComponent(SampleRecords.exampleBundle)))
    }

    static func write(_ text: String, to url: URL) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    static func lines(_ text: String) -> [String] { text.split(separator: "\n").map(String.init) }

    // MARK: The conversions of the issue

    @Test func jsonToXML() throws {
        let result = try CLIRunner.run(["convert", "--to", "xml", SampleRecords.exampleBundle])
        #expect(result.exitCode == 0)
        #expect(result.standardError.isEmpty)
        let expected = try FHIRXMLEncoder().encode(
            FHIRJSONDecoder().decode(AnyResource.self, from: Self.exampleBytes()))
        #expect(result.outputBytes == expected)
    }

    @Test func xmlToJSON() throws {
        let folder = try SampleRecords.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let xml = folder.appendingPathComponent("order.xml")
        try Data(
            FHIRXMLEncoder(pretty: true).encode(FHIRJSONDecoder().decode(AnyResource.self, from: Self.exampleBytes()))
        ).write(to: xml)
        let result = try CLIRunner.run(["convert", "--to", "json", xml.path])
        #expect(result.exitCode == 0)
        #expect(result.standardError.isEmpty)
        #expect(
            try JSONTree.parse(Self.exampleBytes()).firstDifference(from: JSONTree.parse(result.outputBytes)) == nil)
    }

    @Test func ndjsonToNDJSON() throws {
        let folder = try SampleRecords.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let records = SampleRecords.lines(count: 200, from: try SampleRecords.exampleLines())
        let input = folder.appendingPathComponent("night.ndjson")
        try Self.write(records.joined(separator: "\n") + "\n", to: input)
        let result = try CLIRunner.run(["convert", "--to", "ndjson", input.path])
        #expect(result.exitCode == 0)
        #expect(Self.lines(result.standardOutput) == records)
        #expect(result.standardError == "summary: 1 input, 200 records read, 200 written, 0 rejected\n")
    }

    @Test func ndjsonToBundle() throws {
        let folder = try SampleRecords.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let records = SampleRecords.lines(count: 40, from: try SampleRecords.exampleLines())
        let input = folder.appendingPathComponent("night.ndjson")
        try Self.write(records.joined(separator: "\n"), to: input)
        for format in ["json", "xml"] {
            let result = try CLIRunner.run(["convert", "--to", format, "--bundle", "--pretty", input.path])
            #expect(result.exitCode == 0)
            #expect(result.standardError == "summary: 1 input, 40 records read, 40 written, 0 rejected\n")
            let bundle =
                format == "json"
                ? try FHIRJSONDecoder().decode(Bundle.self, from: result.outputBytes)
                : try FHIRXMLDecoder().decode(Bundle.self, from: result.outputBytes)
            #expect(bundle.type?.value == "collection")
            let lines = try bundle.entry.map {
                try String(decoding: FHIRJSONEncoder().encode(#require($0.resource)), as: UTF8.self)
            }
            #expect(lines == records)
        }
    }

    @Test func bundleToNDJSON() throws {
        let folder = try SampleRecords.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let bundle = try FHIRJSONDecoder().decode(Bundle.self, from: Self.exampleBytes())
        let expected = try bundle.entry.map {
            try String(decoding: FHIRJSONEncoder().encode(#require($0.resource)), as: UTF8.self)
        }
        let xml = folder.appendingPathComponent("bundle.xml")
        try Data(FHIRXMLEncoder(pretty: true).encode(AnyResource.bundle(bundle))).write(to: xml)
        for input in [SampleRecords.exampleBundle, xml.path] {
            let result = try CLIRunner.run(["convert", "--to", "ndjson", input])
            #expect(result.exitCode == 0)
            #expect(Self.lines(result.standardOutput) == expected)
            #expect(result.standardError == "summary: 1 input, 4 records read, 4 written, 0 rejected\n")
        }
    }

    @Test func aDirectoryIsReadRecursivelyInAStableOrder() throws {
        let folder = try SampleRecords.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let inputs = folder.appendingPathComponent("exports")
        try Self.write(#"{"resourceType":"Patient","id":"z"}"#, to: inputs.appendingPathComponent("Z.json"))
        try Self.write(
            "{\"resourceType\":\"Patient\",\"id\":\"b1\"}\n{\"resourceType\":\"Patient\",\"id\":\"b2\"}\n",
            to: inputs.appendingPathComponent("a/b.ndjson"))
        try Self.write(
            #"<Observation xmlns="http://hl7.org/fhir"><id value="c"/><status value="final"/></Observation>"#,
            to: inputs.appendingPathComponent("a/c.xml"))
        try Self.write("not FHIR", to: inputs.appendingPathComponent("a/notes.txt"))
        try Self.write(#"{"resourceType":"Patient","id":"hidden"}"#, to: inputs.appendingPathComponent(".cache/h.json"))

        let result = try CLIRunner.run(["convert", "--to", "ndjson", inputs.path])
        #expect(result.exitCode == 0)
        #expect(
            Self.lines(result.standardOutput) == [
                #"{"resourceType":"Patient","id":"z"}"#,  // "Z" sorts before "a" byte by byte
                #"{"resourceType":"Patient","id":"b1"}"#,
                #"{"resourceType":"Patient","id":"b2"}"#,
                #"{"resourceType":"Observation","id":"c","status":"final"}"#,
            ])
        #expect(
            result.standardError
                == "summary: 3 inputs, 4 records read, 4 written, 0 rejected; 1 file skipped (not .json, .ndjson, .jsonl or .xml)\n"
        )

        let out = folder.appendingPathComponent("out")
        let mirrored = try CLIRunner.run(["convert", "--to", "json", "--bundle", "--output-dir", out.path, inputs.path])
        #expect(mirrored.exitCode == 0)
        #expect(mirrored.standardOutput.isEmpty)
        #expect(
            try FileManager.default.subpathsOfDirectory(atPath: out.path).sorted() == [
                "Z.json", "a", "a/b.json", "a/c.json",
            ])
        let b = try FHIRJSONDecoder().decode(
            Bundle.self, from: [UInt8](Data(contentsOf: out.appendingPathComponent("a/b.json"))))
        #expect(b.entry.map { $0.resource?.resource.id?.value } == ["b1", "b2"])
    }

    @Test func standardInputToStandardOutput() throws {
        let records = SampleRecords.lines(count: 12, from: try SampleRecords.exampleLines())
        let bundle = try CLIRunner.run(
            ["convert", "--to", "xml", "--bundle"], input: Array((records.joined(separator: "\n") + "\n").utf8))
        #expect(bundle.exitCode == 0)
        #expect(
            bundle.standardOutput.hasPrefix(
                #"<?xml version="1.0" encoding="UTF-8"?><Bundle xmlns="http://hl7.org/fhir"><type value="collection"/><entry><resource><Patient>"#
            ))
        #expect(bundle.standardError == "summary: 1 input, 12 records read, 12 written, 0 rejected\n")
        // And back: the XML Bundle streamed from standard input, entry by entry.
        let back = try CLIRunner.run(["convert", "--to", "ndjson", "-"], input: bundle.outputBytes)
        #expect(back.exitCode == 0)
        #expect(Self.lines(back.standardOutput) == records)
        #expect(back.standardError == "summary: 1 input, 12 records read, 12 written, 0 rejected\n")
        // A pipe named as a file is read once, like standard input (its first bytes are not lost).
        let named = try CLIRunner.run(["convert", "--to", "ndjson", "/dev/stdin"], input: bundle.outputBytes)
        #expect(named.exitCode == 0)
        #expect(Self.lines(named.standardOutput) == records)
    }

    // MARK: A night's batch with broken records

    @Test func corruptedRecordsGoToTheRejectsAndTheCountsAddUp() throws {
        let folder = try SampleRecords.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let good = SampleRecords.lines(count: 1_200, from: try SampleRecords.exampleLines())
        // Each corruption, five times, spread through the file; the reason each must give.
        let corruptions: [(name: String, reason: String, make: (String) -> [UInt8])] = [
            ("truncated JSON", "unexpected end", { Array($0.utf8.prefix($0.utf8.count / 2)) }),
            ("wrong resourceType", "Patinet", { _ in Array(#"{"resourceType":"Patinet","id":"x"}"#.utf8) }),
            ("unknown element", "unknown element 'colour'", { Array(($0.dropLast() + #","colour":"blue"}"#).utf8) }),
            (
                "invalid UTF-8", "UTF-8",
                { line in
                    var bytes = Array(line.utf8)
                    bytes.insert(0xFF, at: bytes.firstIndex(of: UInt8(ascii: ":"))! + 2)
                    return bytes
                }
            ),
            ("empty line", "empty line", { _ in [] }),
        ]
        var file: [[UInt8]] = []
        var expectedRejects: [(line: Int, reason: String, record: [UInt8])] = []
        for (index, line) in good.enumerated() {
            if index % 48 == 7 {
                let corruption = corruptions[(index / 48) % corruptions.count]
                let bad = corruption.make(line)
                file.append(bad)
                expectedRejects.append((file.count, corruption.reason, bad))
            }
            file.append(Array(line.utf8))
        }
        #expect(file.count >= 1_000 && expectedRejects.count == 25)
        let input = folder.appendingPathComponent("night.ndjson")
        try Data(file.joined(separator: [0x0A]) + [0x0A]).write(to: input)
        let output = folder.appendingPathComponent("out.ndjson"),
            rejects = folder.appendingPathComponent("rejects.ndjson")

        let result = try CLIRunner.run([
            "convert", "--to", "ndjson", "--output", output.path, "--rejects", rejects.path, input.path,
        ])

        #expect(result.exitCode == 1)
        #expect(result.standardOutput.isEmpty)
        #expect(Self.lines(try String(contentsOf: output, encoding: .utf8)) == good)
        let rejected = try Self.lines(String(contentsOf: rejects, encoding: .utf8)).map {
            try #require(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        #expect(rejected.count == expectedRejects.count)
        for (reject, expected) in zip(rejected, expectedRejects) {
            #expect(reject["source"] as? String == input.path)
            #expect(reject["line"] as? Int == expected.line)
            #expect((reject["message"] as? String)?.contains(expected.reason) == true, "\(reject)")
            let exact = (reject["recordBase64"] as? String).flatMap { Data(base64Encoded: $0) }.map { [UInt8]($0) }
            #expect(exact ?? Array((reject["record"] as? String ?? "?").utf8) == expected.record)
        }
        let errorLines = Self.lines(result.standardError)
        #expect(errorLines.count == 12)
        #expect(errorLines[0].hasPrefix("\(input.path):\(expectedRejects[0].line):"))
        #expect(errorLines[10] == "note: further rejected records are reported only in \(rejects.path)")
        #expect(
            errorLines[11]
                == "summary: 1 input, 1225 records read, 1200 written, 25 rejected (rejects in \(rejects.path))")
    }

    @Test func failFastStopsAtTheFirstRejectAndWritesNoOutput() throws {
        let folder = try SampleRecords.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        var records = SampleRecords.lines(count: 300, from: try SampleRecords.exampleLines())
        records[150] = #"{"resourceType":"Patient","active":"yes"}"#
        let input = folder.appendingPathComponent("in.ndjson")
        try Self.write(records.joined(separator: "\n"), to: input)
        let output = folder.appendingPathComponent("out.ndjson"),
            rejects = folder.appendingPathComponent("rejects.ndjson")
        let result = try CLIRunner.run([
            "convert", "--to", "ndjson", "--fail-fast", "-o", output.path, "--rejects", rejects.path, input.path,
        ])
        #expect(result.exitCode == 1)
        #expect(!FileManager.default.fileExists(atPath: output.path))
        #expect(Self.lines(try String(contentsOf: rejects, encoding: .utf8)).count == 1)
        #expect(result.standardError.contains("\(input.path):151:36: error: expected a boolean"))
        #expect(result.standardError.contains("stopped at the first rejected record (--fail-fast), no output written"))
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == [
                "in.ndjson", "rejects.ndjson",
            ])
    }

    // MARK: Exit codes

    @Test func anUnusableInputAmongOthersExitsWith65AndTheOthersAreConverted() throws {
        let folder = try SampleRecords.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let good = folder.appendingPathComponent("good.json"), bad = folder.appendingPathComponent("bad.json")
        try Self.write(#"{"resourceType":"Patient","id":"g"}"#, to: good)
        try Self.write("MRN;dose", to: bad)
        let result = try CLIRunner.run(["convert", "--to", "ndjson", bad.path, good.path])
        #expect(result.exitCode == 65)
        #expect(result.standardOutput == "{\"resourceType\":\"Patient\",\"id\":\"g\"}\n")
        #expect(
            result.standardError == """
                \(bad.path):1:1: error: the input is neither FHIR JSON (starting with '{') nor FHIR XML (starting with '<')
                summary: 2 inputs, 2 records read, 1 written, 1 rejected; 1 input unusable

                """)
    }

    static let usageCases: [([String], String)] = [
        (
            ["convert", "--to", "xml", "night.ndjson"],
            "night.ndjson' gives several resources but --to xml writes one document"
        ),
        (["convert", "--to", "json", "a.json", "b.json"], "2 inputs give several resources"),
        (["convert", "--to", "ndjson", "--bundle", "a.json"], "--bundle gathers resources into one document"),
        (["convert", "--to", "ndjson", "--pretty", "a.json"], "--pretty cannot be used with --to ndjson"),
        (["convert", "--to", "yaml", "a.json"], "unknown output format 'yaml'"),
        (["convert", "--from", "csv", "a.json"], "unknown input format 'csv'"),
        (["convert", "-o", "x", "--output-dir", "y", "a.json"], "--output and --output-dir cannot be used together"),
        (["convert", "--jobs", "0", "a.json"], "--jobs must be at least 1"),
        (
            ["convert", "--output-dir", "out", "a.json", "a.xml"],
            "would both be written to 'a' in the output directory"
        ),
    ]

    @Test(arguments: usageCases)
    func badUsageExitsWith64BeforeWritingAnything(_ arguments: [String], _ message: String) throws {
        let folder = try SampleRecords.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        try Self.write(
            "{\"resourceType\":\"Patient\"}\n{\"resourceType\":\"Patient\"}\n",
            to: folder.appendingPathComponent("night.ndjson"))
        try Self.write(#"{"resourceType":"Patient"}"#, to: folder.appendingPathComponent("a.json"))
        try Self.write(#"{"resourceType":"Patient"}"#, to: folder.appendingPathComponent("b.json"))
        try Self.write(#"<Patient xmlns="http://hl7.org/fhir"/>"#, to: folder.appendingPathComponent("a.xml"))
        let names = ["night.ndjson", "a.json", "b.json", "a.xml", "out"]
        let absolute = arguments.map { names.contains($0) ? folder.appendingPathComponent($0).path : $0 }
        let result = try CLIRunner.run(absolute)
        #expect(result.exitCode == 64)
        #expect(result.standardOutput.isEmpty)
        #expect(result.standardError.contains(message), "\(result.standardError)")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("out").path))
    }

    @Test func aFullDiskIsAnIOFailureAndLeavesNoFile() throws {
        let folder = try SampleRecords.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let full = try CLIRunner.run([
            "convert", "--to", "ndjson", "--output", "/dev/full", SampleRecords.exampleBundle,
        ])
        #expect(full.exitCode == 74)
        #expect(full.standardError.hasPrefix("/dev/full: error: cannot write: No space left on device"))
        let missing = folder.appendingPathComponent("no/such/dir/out.json").path
        let unwritable = try CLIRunner.run(["convert", "--output", missing, SampleRecords.exampleBundle])
        #expect(unwritable.exitCode == 74)
        #expect(unwritable.standardError == "\(missing): error: cannot create the output: No such file or directory\n")
    }

    // MARK: A killed run

    /// A large input that takes a while to convert (in any build).
    static func largeInput(in folder: URL) throws -> URL {
        let records = SampleRecords.lines(count: 30_000, from: try SampleRecords.exampleLines())
        let input = folder.appendingPathComponent("large.ndjson")
        try Data((records.joined(separator: "\n") + "\n").utf8).write(to: input)
        return input
    }

    /// Starts converting the large input into `out/night.xml` and waits until output is being written.
    static func startLargeConversion(_ folder: URL) throws -> (Process, URL) {
        let input = try largeInput(in: folder)
        let out = folder.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        let process = try CLIRunner.start(
            [
                "convert", "--to", "xml", "--bundle", "--output", out.appendingPathComponent("night.xml").path,
                input.path,
            ], logsIn: folder)
        // Midway: the temporary file exists and has received bytes.
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline, process.isRunning {
            let temporary = try FileManager.default.contentsOfDirectory(atPath: out.path).first {
                $0.hasPrefix(".night.xml.ivig-fhir-tmp-")
            }
            if let temporary,
                let size = try FileManager.default.attributesOfItem(atPath: out.appendingPathComponent(temporary).path)[
                    .size] as? Int,
                size > 0
            {
                break
            }
            usleep(5_000)
        }
        return (process, out)
    }

    @Test(arguments: [SIGTERM, SIGINT])
    func aSignalMidwayLeavesNoPartialOrTemporaryFile(_ signalNumber: Int32) throws {
        let folder = try SampleRecords.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (process, out) = try Self.startLargeConversion(folder)
        #expect(process.isRunning, "the conversion ended before it could be stopped")
        kill(process.processIdentifier, signalNumber)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal)
        #expect(process.terminationStatus == signalNumber)
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.path) == [])
    }

    @Test func sigkillLeavesAtMostARecognisableTemporaryFile() throws {
        let folder = try SampleRecords.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (process, out) = try Self.startLargeConversion(folder)
        #expect(process.isRunning)
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        let left = try FileManager.default.contentsOfDirectory(atPath: out.path)
        #expect(left == [".night.xml.ivig-fhir-tmp-\(process.processIdentifier)-1"])
    }

    // MARK: Help and completion

    @Test func helpDocumentsOptionsExamplesAndExitCodes() throws {
        let result = try CLIRunner.run(["convert", "--help"])
        #expect(result.exitCode == 0)
        for text in [
            "--output-dir", "--bundle", "--split", "--rejects", "--fail-fast", "--quiet", "--jobs",
            "EXIT CODES: 0 all converted; 1 some records rejected", "Examples:", "--generate-completion-script",
        ] {
            #expect(result.standardOutput.contains(text), "\(text)")
        }
    }

    @Test func shellCompletionScriptsAreGenerated() throws {
        for shell in ["bash", "zsh", "fish"] {
            let result = try CLIRunner.run(["--generate-completion-script", shell])
            #expect(result.exitCode == 0)
            #expect(result.standardOutput.contains("--output-dir"), "\(shell)")
            #expect(result.standardOutput.contains("ndjson"), "\(shell)")
        }
    }

    @Test func noProgressLineWhenStandardErrorIsAPipe() throws {
        let folder = try SampleRecords.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = folder.appendingPathComponent("in.ndjson")
        try Self.write(
            SampleRecords.lines(count: 3_000, from: try SampleRecords.exampleLines()).joined(separator: "\n"), to: input
        )
        let result = try CLIRunner.run(["convert", "--to", "xml", "--bundle", "--output", "/dev/null", input.path])
        #expect(result.exitCode == 0)
        #expect(result.standardError == "summary: 1 input, 3000 records read, 3000 written, 0 rejected\n")
        let quiet = try CLIRunner.run(["convert", "--quiet", "--to", "ndjson", "--output", "/dev/null", input.path])
        #expect(quiet.standardError.isEmpty)
    }
}
