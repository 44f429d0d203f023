import FHIRCore
import FHIRTestSupport
import FHIRXML
import Foundation
import Testing

/// A streamed Bundle broken after good entries: libxml2 parses ahead of the reader, so the
/// malformed part stops it while the entries before it lie parsed but unread. Every one of them
/// must still come out, then the error with the line of the break.
@Suite struct BundleStreamBreakTests {
    /// Reads every entry, then expects the error of the break.
    static func expectGoodEntriesThenTheBreak(_ stream: FHIRXMLBundleStream, _ bundle: BrokenXMLBundle) {
        let what = "\(bundle.breaking) after \(bundle.good) entries"
        var ids: [String] = []
        var lines: [Int] = []
        do {
            while let item = try stream.next() {
                ids.append(item.entry.resource?.resource.id?.value ?? "?")
                lines.append(item.line)
            }
            Issue.record("\(what): no error")
        } catch {
            #expect(error.code == .syntax, "\(what): \(error)")
            #expect(error.message.hasPrefix("malformed XML: "), "\(what): \(error)")
            #expect(error.location?.line == bundle.breakLine, "\(what): \(error)")
            #expect((error.location?.column ?? 0) >= 1, "\(what): \(error)")
        }
        #expect(ids == bundle.ids, "\(what)")
        #expect(lines == bundle.entryLines, "\(what)")
        #expect((try? stream.next()) == nil, "\(what)")  // finished after the error
    }

    @Test(arguments: BrokenXMLBundle.Break.allCases)
    func everyEntryBeforeTheBreakComesOutFromMemory(_ breaking: BrokenXMLBundle.Break) throws {
        for good in 0..<40 {
            let bundle = BrokenXMLBundle(good: good, then: breaking)
            Self.expectGoodEntriesThenTheBreak(try FHIRXMLBundleStream(bytes: bundle.bytes), bundle)
        }
    }

    @Test(arguments: BrokenXMLBundle.Break.allCases)
    func everyEntryBeforeTheBreakComesOutFromAFile(_ breaking: BrokenXMLBundle.Break) throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("fhirxml-break-\(UUID()).xml")
        defer { try? FileManager.default.removeItem(at: url) }
        for good in [0, 1, 2, 3, 7, 19, 64, 500] {
            let bundle = BrokenXMLBundle(good: good, then: breaking)
            try Data(bundle.bytes).write(to: url)
            Self.expectGoodEntriesThenTheBreak(try FHIRXMLBundleStream(path: url.path), bundle)
        }
    }

    @Test func aDoctypeIsRefusedEvenWhenAMalformedPartFollowsTheEntries() throws {
        let xml = BrokenXMLBundle(good: 2, then: .garbageBetweenEntries).text
            .replacingOccurrences(of: "<Bundle", with: "<!DOCTYPE Bundle [<!ENTITY e \"x\">]>\n<Bundle")
        let stream = try FHIRXMLBundleStream(bytes: Array(xml.utf8))
        #expect(throws: FHIRDiagnostic.self) { _ = try stream.next() }
        #expect((try? stream.next()) == nil)
    }
}
