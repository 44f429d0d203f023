import FHIRBatch
import FHIRCore
import FHIRTestSupport
import Foundation
import Testing

/// `convert` of a streamed XML Bundle broken after good entries: every good entry is written,
/// in order, the break goes to the rejects with its line and column, and the counts add up.
@Suite struct XMLBundleBreakTests {
    @Test(arguments: BrokenXMLBundle.Break.allCases)
    func everyGoodEntryIsWrittenAndTheBreakIsRejected(_ breaking: BrokenXMLBundle.Break) throws {
        let folder = try SampleRecords.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = folder.appendingPathComponent("b.xml")
        for good in [0, 1, 2, 5, 30, 400] {
            let bundle = BrokenXMLBundle(good: good, then: breaking)
            let what = "\(breaking) after \(good) entries"
            try Data(bundle.bytes).write(to: input)
            let output = folder.appendingPathComponent("out.ndjson"),
                rejects = folder.appendingPathComponent("rejects.ndjson")
            let (report, messages) = BatchConverterTests.run {
                $0.inputs = [input.path]
                $0.to = "ndjson"
                $0.output = .file(output.path)
                $0.rejectsPath = rejects.path
            }
            let written = (try? BatchConverterTests.lines(output)) ?? []
            #expect(written.map(Self.id) == bundle.ids, "\(what)")
            let rejected = try BatchConverterTests.rejects(rejects)
            #expect(rejected.count == 1, "\(what)")
            #expect(rejected.first?["line"] as? Int == bundle.breakLine, "\(what): \(rejected)")
            #expect((rejected.first?["column"] as? Int ?? 0) >= 1, "\(what): \(rejected)")
            #expect((rejected.first?["message"] as? String)?.hasPrefix("malformed XML: ") == true, "\(what)")
            #expect(report.status == .unusableInput, "\(what)")
            #expect((report.read, report.written, report.rejected) == (good + 1, good, 1), "\(what)")
            #expect(messages.contains("\(input.path):\(bundle.breakLine):"), "\(what): \(messages)")
        }
    }

    /// The `id` of a written Patient line.
    static func id(_ line: String) -> String {
        let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
        return object?["id"] as? String ?? "?"
    }
}
