import FHIRCore
import FHIRTestSupport
import FHIRValidation
import FHIRXML
import Foundation
import IVIGSamples
import Testing

@testable import FHIRValidationIO

/// Validation from the definitions of a streamed XML Bundle's entries: each entry checked as the
/// only entry of a collection Bundle finds what that Bundle written out and read again finds
/// (the way entries were checked before they were built from their flat documents), on sample
/// records with clinical faults and with hand-made breakages.
@Suite struct StreamedXMLEntryFindingsTests {
    /// The sample Bundle with a few entries broken: an unknown element, a bad dateTime, a status
    /// with only an id, a narrative with a script, a narrative written otherwise.
    static func sampleBundle() throws -> [UInt8] {
        let writer = IVIGSampleWriter(format: .xml, faults: SampleFaultRate(perTenThousand: 2000))
        var text = String(decoding: try writer.bytes(count: 400, seed: 5), as: UTF8.self)
        let breakages = [
            ("</text>", #"</text><foo value="x"/>"#),
            (#"<recordedDate value="2"#, #"<recordedDate value="2023-13-45T25:00"/><x value="2"#),
            (#"<status value="final"/>"#, #"<status id="s1"/>"#),
            (#"<div xmlns="http://www.w3.org/1999/xhtml">"#, #"<div xmlns="http://www.w3.org/1999/xhtml"><script/>"#),
            (#"<div xmlns="http://www.w3.org/1999/xhtml"><p>"#, #"<div xmlns='http://www.w3.org/1999/xhtml'><p/><p>"#),
        ]
        // Each in a different entry: the first occurrence after a point a tenth further on.
        var from = text.startIndex
        for (position, (find, replace)) in breakages.enumerated() {
            let start = text.index(text.startIndex, offsetBy: text.count * (position + 1) / 10)
            from = max(from, start)
            let range = try #require(text.range(of: find, range: from..<text.endIndex), "\(find)")
            text.replaceSubrange(range, with: replace)
            from = range.upperBound
        }
        return Array(text.utf8)
    }

    @Test func anEntryFindsWhatTheCollectionBundleWrittenOutFinds() throws {
        let check = try #require(ValidationHarness.fromDefinitions.conformance)
        let prefix = Array(#"<Bundle xmlns="http://hl7.org/fhir"><type value="collection"/>"#.utf8)
        var findings = 0
        for entry in try StreamedXMLEntries.read(try Self.sampleBundle()) {
            let got = check.check(collectionEntry: entry).findings
            let want = check.check(prefix + entry.xmlText() + Array("</Bundle>".utf8), isXML: true).findings
            // Placed at the entry's start by the caller either way: the locations are not compared,
            // nor the lines messages name (the input's, against those of the text written out).
            let described = { (found: [ValidationFinding]) in
                found.map { finding in
                    "\(finding.severity) \(finding.ruleID) \(finding.fhirPath ?? "") "
                        + finding.message.replacing(/\(line \d+\)/, with: "(line)")
                }
            }
            #expect(described(got) == described(want), "entry \(entry.index)")
            findings += got.count
        }
        // The breakages are found (and the faults' findings are the dosing layer's, not these).
        #expect(findings >= 5)
    }
}
