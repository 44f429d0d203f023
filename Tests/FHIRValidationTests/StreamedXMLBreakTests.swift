import FHIRBatch
import FHIRCore
import FHIRTestSupport
import FHIRValidation
import FHIRValidationIO
import Foundation
import Testing

/// `validate` of a streamed XML Bundle broken after good entries: every good entry is checked,
/// the break is one unreadable record with a fatal finding at its line and column, and the
/// counts add up.
@Suite struct StreamedXMLBreakTests {
    @Test(arguments: BrokenXMLBundle.Break.allCases)
    func everyGoodEntryIsCheckedAndTheBreakIsReported(_ breaking: BrokenXMLBundle.Break) throws {
        let folder = try SampleRecords.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = folder.appendingPathComponent("b.xml")
        // A record limit below the Bundle's size, so that the Bundle is streamed entry by entry.
        let limits = FHIRReadLimits(maxRecordBytes: 1024)
        let validation = StreamingValidation(
            step: RecordValidation(validator: ValidationHarness.validator, limits: limits), jobs: 2)
        for good in [8, 30, 400] {
            let bundle = BrokenXMLBundle(good: good, then: breaking)
            let what = "\(breaking) after \(good) entries"
            try Data(bundle.bytes).write(to: input)
            #expect(bundle.bytes.count > limits.maxRecordBytes)
            let (planned, cleanUp) = try validation.plan(inputs: [input.path])
            defer { cleanUp() }
            var records: [RecordFindings] = []
            let summary = try validation.run(planned, everyRecord: true, problems: { _ in }) { records.append($0) }
            #expect(records.compactMap(\.line) == bundle.entryLines, "\(what)")
            #expect((summary.records, summary.checked) == (good + 1, good), "\(what): \(summary.line)")
            let fatal = records.flatMap(\.findings).filter { $0.severity == .fatal }
            #expect(fatal.count == 1, "\(what): \(fatal)")
            #expect(fatal.first?.location?.line == bundle.breakLine, "\(what): \(fatal)")
            #expect((fatal.first?.location?.column ?? 0) >= 1, "\(what): \(fatal)")
            #expect(fatal.first?.message.hasPrefix("malformed XML: ") == true, "\(what): \(fatal)")
        }
    }
}
