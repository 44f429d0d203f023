import FHIRTestSupport
import Foundation
import Testing

/// gzip'd inputs (Bulk Data's `.ndjson.gz`, by their magic bytes, on standard input too) and
/// `convert --gzip`, with the built binary on generated records; gzip itself packs and unpacks.
@Suite struct GzipCLITests {
    let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("gzip-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    /// `count` sample records as NDJSON, with a broken line at the end.
    func sample(count: Int, seed: Int) throws -> [UInt8] {
        let run = try CLIRunner.run(["sample", "--count", "\(count)", "--seed", "\(seed)"])
        #expect(run.exitCode == 0)
        return run.outputBytes + Array(#"{"resourceType":"Patient","id":"#.utf8) + [0x0A]
    }

    /// `bytes` as gzip writes them.
    func gzip(_ bytes: [UInt8]) throws -> [UInt8] {
        let run = try ProcessRun.run(URL(fileURLWithPath: "/usr/bin/env"), ["gzip", "-c"], input: bytes, in: directory)
        #expect(run.exitCode == 0)
        return run.outputBytes
    }

    func write(_ bytes: [UInt8], _ name: String) throws -> String {
        let url = directory.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(bytes).write(to: url)
        return url.path
    }

    @Test func gzipdNDJSONConvertsAsThePlainFileDoes() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let plain = try sample(count: 3000, seed: 11)
        let packed = try gzip(plain)
        #expect(packed.count < plain.count / 3)
        let expected = try CLIRunner.run(["convert", "--to", "ndjson", try write(plain, "a.ndjson")])
        #expect(expected.exitCode == 1)  // the broken line
        #expect(expected.standardError.contains("3001 records read, 3000 written, 1 rejected"))
        // By name, by content under another name, and on standard input.
        for arguments in [[try write(packed, "b.ndjson.gz")], [try write(packed, "c.json")], ["-"]] {
            let run = try CLIRunner.run(
                ["convert", "--to", "ndjson"] + arguments, input: arguments == ["-"] ? packed : [])
            #expect(run.exitCode == 1, "\(arguments): \(run.standardError)")
            #expect(run.outputBytes == expected.outputBytes, "\(arguments)")
            #expect(run.standardError.contains("3001 records read, 3000 written, 1 rejected"), "\(run.standardError)")
            // The broken record is placed on its line of the inflated text.
            #expect(run.standardError.contains(":3001:"), "\(run.standardError)")
        }
    }

    @Test func gzipdXMLAndJSONBundlesAreRead() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        for layout in ["xml", "json"] {
            let bundle = try CLIRunner.run(["sample", "--count", "200", "--seed", "4", "--to", layout])
            #expect(bundle.exitCode == 0)
            let expected = try CLIRunner.run([
                "convert", "--to", "ndjson", try write(bundle.outputBytes, "plain.\(layout)"),
            ])
            let run = try CLIRunner.run([
                "convert", "--to", "ndjson", try write(try gzip(bundle.outputBytes), "b.\(layout).gz"),
            ])
            #expect(run.exitCode == 0, "\(run.standardError)")
            #expect(expected.outputBytes.count > 10_000)
            #expect(run.outputBytes == expected.outputBytes)
        }
    }

    @Test func aDirectoryOfGzipdFilesIsWalkedAndNamedWithoutGz() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        _ = try write(try gzip(try sample(count: 100, seed: 1)), "in/Patient.ndjson.gz")
        _ = try write(try sample(count: 50, seed: 2), "in/more.ndjson")
        let out = directory.appendingPathComponent("out").path
        let run = try CLIRunner.run([
            "convert", "--to", "ndjson", "--output-dir", out, directory.appendingPathComponent("in").path,
        ])
        #expect(
            run.standardError.contains("2 inputs, 152 records read, 150 written, 2 rejected"), "\(run.standardError)")
        let names = try FileManager.default.contentsOfDirectory(atPath: out).sorted()
        #expect(names == ["Patient.ndjson", "more.ndjson"])
    }

    @Test func gzipOutputInflatesToThePlainOutput() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let input = try write(try sample(count: 2000, seed: 3), "in.ndjson")
        let plain = try CLIRunner.run(["convert", "--to", "ndjson", input])
        let packedPath = directory.appendingPathComponent("out.ndjson.gz").path
        let toFile = try CLIRunner.run(["convert", "--to", "ndjson", "--gzip", "-o", packedPath, input])
        let toStandardOutput = try CLIRunner.run(["convert", "--to", "ndjson", "--gzip", input])
        #expect(toFile.exitCode == 1 && toStandardOutput.exitCode == 1)
        for packed in [try [UInt8](Data(contentsOf: URL(fileURLWithPath: packedPath))), toStandardOutput.outputBytes] {
            #expect(packed.starts(with: [0x1F, 0x8B]))
            #expect(packed.count < plain.outputBytes.count / 3)
            let inflated = try ProcessRun.run(
                URL(fileURLWithPath: "/usr/bin/env"), ["gzip", "-dc"], input: packed, in: directory)
            #expect(inflated.exitCode == 0, "\(inflated.standardError)")
            #expect(inflated.outputBytes == plain.outputBytes)
        }
        // And the tool reads its own gzip back.
        let back = try CLIRunner.run(["convert", "--to", "ndjson", packedPath])
        #expect(back.outputBytes == plain.outputBytes)
    }

    @Test func aTruncatedGzipFileIsAnIOErrorNamingTheFile() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let packed = try gzip(try sample(count: 500, seed: 9))
        let path = try write(Array(packed.prefix(packed.count / 2)), "cut.ndjson.gz")
        let run = try CLIRunner.run(["convert", "--to", "ndjson", path])
        #expect(run.exitCode == 74)
        #expect(
            run.standardError.contains(
                "\(path): error: the input is gzip'd but cannot be inflated: truncated gzip data"),
            "\(run.standardError)")
    }

    @Test func validateReadsGzipdInputAsThePlainFile() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let plain = try sample(count: 400, seed: 6)
        let expected = try CLIRunner.run(["validate", "--format", "csv", try write(plain, "v.ndjson")])
        let run = try CLIRunner.run(["validate", "--format", "csv", try write(try gzip(plain), "v.ndjson.gz")])
        let piped = try CLIRunner.run(["validate", "--format", "csv", "-"], input: try gzip(plain))
        #expect(expected.exitCode == 65 && run.exitCode == 65 && piped.exitCode == 65)
        func rows(_ result: CLIRunner.Result) -> [String] {
            result.standardOutput.split(separator: "\r\n").dropFirst().map {
                $0.split(separator: ",").dropFirst().joined(separator: ",")
            }
        }
        #expect(rows(expected).count >= 1)
        #expect(rows(run) == rows(expected))
        #expect(rows(piped) == rows(expected))
        #expect(run.standardError == expected.standardError)
    }
}
