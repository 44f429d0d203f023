import FHIRBatch
import FHIRTestSupport
import Foundation
import Testing

/// Which inputs a command line names, and in which order.
@Suite struct InputDiscoveryTests {
    @Test func directoriesAreWalkedInByteOrderWithoutHiddenEntriesOrLinkedDirectories() throws {
        let folder = try SampleRecords.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        for name in ["b.json", "B.XML", "a/z.ndjson", "a/y.jsonl", ".hidden/x.json", "a/.x.json", "c.txt", "é.json"] {
            let url = folder.appendingPathComponent(name)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data("{}".utf8).write(to: url)
        }
        try FileManager.default.createSymbolicLink(
            atPath: folder.appendingPathComponent("loop").path, withDestinationPath: folder.path)
        let found = try InputDiscovery.discover([folder.path])
        let prefix = folder.path + "/"
        #expect(
            found.inputs.map { $0.displayName.replacingOccurrences(of: prefix, with: "") }
                == ["B.XML", "a/y.jsonl", "a/z.ndjson", "b.json", "é.json"])
        #expect(found.inputs.map(\.outputStem) == ["B", "a/y", "a/z", "b", "é"])
        #expect(found.skipped == [prefix + "c.txt"])
    }

    @Test func standardInputIsTheDefaultAndCanBeNamedOnce() throws {
        #expect(try InputDiscovery.discover([]).inputs == [.standardInput])
        #expect(try InputDiscovery.discover(["-"]).inputs == [.standardInput])
        #expect(throws: BatchError.self) { try InputDiscovery.discover(["-", "-"]) }
        do {
            _ = try InputDiscovery.discover(["/no/such/file.json"])
            Issue.record("a missing file was accepted")
        } catch {
            #expect(error.kind == .io)
            #expect(error.description == "/no/such/file.json: error: the input does not exist")
        }
    }
}
