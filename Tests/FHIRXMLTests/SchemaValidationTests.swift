import FHIRCore
import FHIRJSON
import FHIRTestSupport
import FHIRXML
import Foundation
import Testing

/// Every XML document the encoder writes for the corpus and the project's examples validates
/// against the official R4 schema (`fhir-single.xsd`), checked by the real `xmllint`.
///
/// The documents are written to a temporary folder and validated in a few `xmllint` calls
/// (it takes many files at once), so the suite stays fast.
@Suite struct SchemaValidationTests {
    /// Where the JSON inputs come from, relative to the corpus (`Examples` is the package's own).
    static let corpusFolders = ["fhir-r4/json", "fhir-r4/fhir-test-cases/json", "fhir-r4/published-json"]

    /// Inputs whose written XML legitimately does not validate, with the reason and a piece of
    /// xmllint's message that must still appear (so a stale entry is noticed). Empty: every
    /// document the encoder writes validates.
    static let knownInvalid: [String: (reason: String, mustMention: String)] = [:]

    /// How many documents go to one `xmllint` call (far below any argument-length limit).
    static let filesPerCall = 200

    @Test func everyWrittenDocumentValidatesAgainstFHIRSingleXSD() throws {
        guard let schemaFolder = SharedCorpus.url("fhir-r4/schema") else {
            print(SharedCorpus.absentMessage)
            return
        }
        guard let xmllint = Self.findExecutable("xmllint") else {
            Issue.record(
                """
                xmllint was not found on PATH; install it (Debian/Ubuntu: `apt-get install libxml2-utils`, \
                macOS: it ships with the system). CI's .ci/run installs libxml2-utils.
                """)
            return
        }
        let schema = schemaFolder.appendingPathComponent("fhir-single.xsd")
        try #require(FileManager.default.fileExists(atPath: schema.path), "missing \(schema.path)")

        // 1. Encode every input to XML in a fresh temporary folder.
        let output = FileManager.default.temporaryDirectory
            .appendingPathComponent("ivig-fhir-xsd-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: output) }

        var written: [(name: String, url: URL)] = []
        var unsupported: [String] = []
        var encodeFailures: [String] = []
        for (name, source) in try Self.inputs() {
            let bytes = try [UInt8](Data(contentsOf: source))
            let resource: AnyResource
            do {
                resource = try FHIRJSONDecoder().decode(AnyResource.self, from: bytes)
            } catch  where error.code == .unsupportedResourceType {
                unsupported.append(name)  // a type outside the supported set: nothing to write
                continue
            } catch {
                encodeFailures.append("\(name): JSON decode failed: \(error)")
                continue
            }
            do {
                let xml = try FHIRXMLEncoder(pretty: true).encode(resource)
                let url = output.appendingPathComponent(
                    name.replacingOccurrences(of: "/", with: "__").replacingOccurrences(of: ".json", with: ".xml"))
                try Data(xml).write(to: url)
                written.append((name, url))
            } catch {
                encodeFailures.append("\(name): XML encode failed: \(error)")
            }
        }

        // 2. Validate them, a batch per xmllint call, and sort xmllint's report per file.
        var verdicts: [String: XMLLintVerdict] = [:]
        for start in stride(from: 0, to: written.count, by: Self.filesPerCall) {
            let batch = Array(written[start..<min(start + Self.filesPerCall, written.count)])
            let run = try Self.runXMLLint(xmllint, schema: schema, files: batch.map(\.url))
            // 0: all valid; 1: some not well-formed; 3: some invalid; 4: some unreadable. Anything
            // else (5: the schema did not compile) is a failure of the check itself.
            try #require(
                [0, 1, 3, 4].contains(run.status),
                "xmllint exited \(run.status): \(run.report.prefix(2000))")
            let byPath = Self.verdicts(report: run.report, files: batch.map(\.url.path))
            for (name, url) in batch { verdicts[name] = byPath[url.path] }
        }

        var valid = 0
        var invalid: [String] = []
        var listed: [String] = []
        for (name, _) in written {
            let verdict = verdicts[name] ?? XMLLintVerdict(valid: false, messages: ["no verdict from xmllint"])
            if let (reason, mustMention) = Self.knownInvalid[name] {
                if verdict.valid {
                    invalid.append("\(name): listed as invalid (\(reason)) but it validates; remove the entry")
                } else if !verdict.messages.joined(separator: "\n").contains(mustMention) {
                    invalid.append("\(name): listed as invalid (\(reason)) but xmllint says: \(verdict.messages)")
                } else {
                    listed.append("\(name): \(reason)")
                }
            } else if verdict.valid {
                valid += 1
            } else {
                invalid.append("\(name): \(verdict.messages.joined(separator: " | "))")
            }
        }
        for name in Self.knownInvalid.keys where !written.contains(where: { $0.name == name }) {
            invalid.append("\(name): listed as invalid but no such input was written")
        }

        print(
            "XML schema validation: \(valid) documents valid, \(invalid.count) invalid"
                + " (\(written.count) written, \(listed.count) listed as known invalid,"
                + " \(unsupported.count) inputs skipped as unsupported resource types,"
                + " \(encodeFailures.count) could not be written)")
        for line in listed { print("  LISTED \(line)") }
        for line in invalid { print("  INVALID \(line)") }
        for line in encodeFailures { print("  NOT WRITTEN \(line)") }
        #expect(encodeFailures.isEmpty, "first: \(encodeFailures.first ?? "")")
        #expect(invalid.isEmpty, "first invalid document: \(invalid.first ?? "")")
        #expect(valid + listed.count == written.count)
        // 178 json/ + 6 fhir-test-cases/json + the published examples + Examples/.
        #expect(written.count > 350, "only \(written.count) documents were written")
    }

    /// xmllint's verdict on one file, with the messages it printed about it.
    struct XMLLintVerdict {
        var valid: Bool
        var messages: [String]
    }

    /// The JSON inputs as (display name, file): the corpus folders, then `Examples/*.json`.
    static func inputs() throws -> [(String, URL)] {
        var result: [(String, URL)] = []
        for folder in corpusFolders {
            guard let url = SharedCorpus.url(folder) else { continue }
            for name in try FileManager.default.contentsOfDirectory(atPath: url.path)
                .filter({ $0.hasSuffix(".json") }).sorted()
            {
                result.append(("\(folder)/\(name)", url.appendingPathComponent(name)))
            }
        }
        result += try ExampleFiles.json()
        return result
    }

    /// `name` found on PATH (or in the usual places), or nil.
    static func findExecutable(_ name: String) -> URL? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let folders = path.split(separator: ":").map(String.init) + ["/usr/bin", "/usr/local/bin", "/opt/homebrew/bin"]
        for folder in folders {
            let candidate = URL(fileURLWithPath: folder).appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return nil
    }

    /// Runs `xmllint --noout --schema SCHEMA FILES…`; returns its exit status and everything it
    /// printed (stdout and stderr go to one file, so neither pipe can fill and stall it).
    static func runXMLLint(_ xmllint: URL, schema: URL, files: [URL]) throws -> (status: Int32, report: String) {
        let log = FileManager.default.temporaryDirectory.appendingPathComponent(
            "ivig-fhir-xmllint-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: log) }
        let handle = try FileHandle(forWritingTo: log)
        let process = Process()
        process.executableURL = xmllint
        process.arguments = ["--noout", "--nonet", "--schema", schema.path] + files.map(\.path)
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try handle.close()
        return (process.terminationStatus, try String(contentsOf: log, encoding: .utf8))
    }

    /// Sorts xmllint's report by file: `PATH validates`, `PATH fails to validate`, and messages
    /// starting `PATH:LINE:` (a parse error's context and caret lines follow its message).
    /// A file with no `validates` line is invalid.
    static func verdicts(report: String, files: [String]) -> [String: XMLLintVerdict] {
        var result: [String: XMLLintVerdict] = [:]
        for file in files { result[file] = XMLLintVerdict(valid: false, messages: []) }
        // Longest paths first, so a path that is a prefix of another never claims its lines.
        let byLength = files.sorted { $0.count > $1.count }
        var current: String?
        for line in report.split(separator: "\n", omittingEmptySubsequences: true).map(String.init) {
            if let file = byLength.first(where: { line.hasPrefix($0 + " ") || line.hasPrefix($0 + ":") }) {
                current = file
                let rest = line.dropFirst(file.count)
                if rest == " validates" {
                    result[file]?.valid = true
                } else if rest != " fails to validate" {
                    result[file]?.messages.append(String(rest.drop(while: { $0 == ":" })))
                }
            } else if let file = current {
                result[file]?.messages.append(line)
            }
        }
        for (file, verdict) in result where !verdict.valid && verdict.messages.isEmpty {
            result[file]?.messages = ["xmllint printed no verdict for this file"]
        }
        return result
    }
}

/// The project's own examples (`Examples/*.json`), as (display name, file).
enum ExampleFiles {
    static func json() throws -> [(String, URL)] {
        let folder = SharedCorpus.packageRoot.appendingPathComponent("Examples")
        return try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { $0.hasSuffix(".json") }.sorted()
            .map { ("Examples/\($0)", folder.appendingPathComponent($0)) }
    }
}
