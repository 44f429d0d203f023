import FHIRCore
import FHIRTestSupport
import FHIRXML
import Foundation
import Testing

/// Each reader limit on FHIR XML, at the limit (accepted) and just past it (refused with the
/// limit named), for whole documents and for Bundles streamed entry by entry.
@Suite struct ReadLimitsXMLTests {
    static func decoder(_ change: (inout FHIRReadLimits) -> Void) -> FHIRXMLDecoder {
        var limits = FHIRReadLimits.default
        change(&limits)
        return FHIRXMLDecoder(limits: limits)
    }

    static let narrative = """
        <Patient xmlns="http://hl7.org/fhir"><text><status value="generated"/>\
        <div xmlns="http://www.w3.org/1999/xhtml"><p><b>hello, a longer text</b></p></div></text></Patient>
        """

    @Test func sharedLimitsMapOntoTheXMLOnes() {
        let limits = FHIRXMLLimits(
            FHIRReadLimits(maxRecordBytes: 10, maxDepth: 11, maxStringBytes: 12, maxBundleEntries: 13))
        #expect(
            limits
                == FHIRXMLLimits(
                    maxDocumentBytes: 10, maxDepth: 11, maxEntryBytes: 10, maxStringBytes: 12, maxBundleEntries: 13))
        #expect(FHIRXMLLimits.default == FHIRXMLLimits(FHIRReadLimits.default))
    }

    @Test func recordBytes() throws {
        let xml = #"<Patient xmlns="http://hl7.org/fhir"><id value="p1"/></Patient>"#
        let size = xml.utf8.count
        #expect(TestInput.decodeError(AnyResource.self, xml, decoder: Self.decoder { $0.maxRecordBytes = size }) == nil)
        let error = try #require(
            TestInput.decodeError(AnyResource.self, xml, decoder: Self.decoder { $0.maxRecordBytes = size - 1 }))
        #expect(error.code == .tooLarge)
        #expect(error.message.contains("(limit maxRecordBytes = "))
    }

    @Test func depthCountsTheNarrativeElements() throws {
        // Patient 1 › text 2 › div 3 › p 4 › b 5.
        #expect(
            TestInput.decodeError(AnyResource.self, Self.narrative, decoder: Self.decoder { $0.maxDepth = 5 }) == nil)
        let error = try #require(
            TestInput.decodeError(AnyResource.self, Self.narrative, decoder: Self.decoder { $0.maxDepth = 4 }))
        #expect(error.code == .tooDeep)
        #expect(
            error.message
                == "XML nesting deeper than 4 elements at <b> (limit maxDepth = 4)")
        #expect(error.location?.line == 1)
    }

    @Test func attributeValueLength() throws {
        let xml = #"<Patient xmlns="http://hl7.org/fhir"><id value="abcd"/></Patient>"#
        #expect(TestInput.decodeError(AnyResource.self, xml, decoder: Self.decoder { $0.maxStringBytes = 4 }) == nil)
        let error = try #require(
            TestInput.decodeError(AnyResource.self, xml, decoder: Self.decoder { $0.maxStringBytes = 3 }))
        #expect(error.code == .tooLarge)
        #expect(
            error.message == #"the value of value="…" on <id> of 4 bytes is too long"#
                + " (limit maxStringBytes = 3)")
        #expect(error.location?.line == 1)
    }

    @Test func textNodeLength() throws {
        // "hello, a longer text" (20 bytes) is the longest text node; every attribute value is shorter.
        #expect(
            TestInput.decodeError(AnyResource.self, Self.narrative, decoder: Self.decoder { $0.maxStringBytes = 20 })
                == nil)
        let error = try #require(
            TestInput.decodeError(AnyResource.self, Self.narrative, decoder: Self.decoder { $0.maxStringBytes = 19 }))
        #expect(error.code == .tooLarge)
        #expect(error.message.hasPrefix("text inside <b> of 20 bytes is too long"))
    }

    static func bundle(_ entries: [String]) -> String {
        "<Bundle xmlns=\"http://hl7.org/fhir\"><type value=\"collection\"/>\n"
            + entries.map { "<entry><resource>\($0)</resource></entry>\n" }.joined() + "</Bundle>"
    }

    static func patients(_ count: Int) -> [String] {
        (0..<count).map { "<Patient><id value=\"p\($0)\"/></Patient>" }
    }

    @Test func bundleEntriesInAWholeDocument() throws {
        let xml = Self.bundle(Self.patients(3))
        let decoded = try Self.decoder { $0.maxBundleEntries = 3 }.decode(Bundle.self, from: TestInput.bytes(xml))
        #expect(decoded.entry.count == 3)
        let error = try #require(
            TestInput.decodeError(Bundle.self, xml, decoder: Self.decoder { $0.maxBundleEntries = 2 }))
        #expect(error.code == .tooLarge)
        #expect(error.fhirPath == "Bundle.entry[2]")
        #expect(error.location?.line == 4)
        #expect(error.message.contains("(limit maxBundleEntries = 2)"))
    }

    /// Streams `xml` with the entry reader the batch uses: per entry, its decoded id or its refusal.
    static func stream(_ xml: String, _ change: (inout FHIRReadLimits) -> Void) throws -> [Result<
        String, FHIRDiagnostic
    >] {
        let folder = try SampleRecords.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("bundle.xml")
        try Data(xml.utf8).write(to: file)
        var limits = FHIRReadLimits.default
        change(&limits)
        let reader = try FHIRXMLBundleEntryReader(path: file.path, limits: FHIRXMLLimits(limits))
        var results: [Result<String, FHIRDiagnostic>] = []
        while let parsed = try reader.next() {
            results.append(
                Result { () throws(FHIRDiagnostic) in
                    let entry = try parsed.decode(lenient: false).entry
                    guard case .patient(let patient)? = entry.resource else { return "?" }
                    return patient.id?.value ?? "-"
                })
        }
        return results
    }

    @Test func streamedEntriesPastTheLimitAreEachRefused() throws {
        let results = try Self.stream(Self.bundle(Self.patients(5))) { $0.maxBundleEntries = 3 }
        #expect(results.count == 5)
        #expect(results.prefix(3).compactMap { try? $0.get() } == ["p0", "p1", "p2"])
        for (index, result) in results.enumerated().dropFirst(3) {
            guard case .failure(let error) = result else {
                Issue.record("entry \(index) should be refused")
                continue
            }
            #expect(error.code == .tooLarge)
            #expect(error.fhirPath == "Bundle.entry[\(index)]")
            #expect(error.location?.line == index + 2)
            #expect(error.message.contains("(limit maxBundleEntries = "))
        }
    }

    @Test func aStreamedEntryPastASizeDepthOrStringLimitIsRefusedAndTheNextIsRead() throws {
        let deep =
            "<Patient><id value=\"deep\"/>" + String(repeating: "<extension url=\"http://e.org/x\">", count: 8)
            + String(repeating: "</extension>", count: 8) + "</Patient>"
        let long = "<Patient><id value=\"\(String(repeating: "a", count: 60))\"/></Patient>"
        let big = "<Patient><id value=\"big\"/>" + String(repeating: "<!-- padding -->", count: 500) + "</Patient>"
        let xml = Self.bundle([
            deep, "<Patient><id value=\"ok1\"/></Patient>", long, "<Patient><id value=\"ok2\"/></Patient>", big,
            "<Patient><id value=\"ok3\"/></Patient>",
        ])
        let results = try Self.stream(xml) {
            $0.maxDepth = 8
            $0.maxStringBytes = 40
            // libxml2's reader measures an entry from where its parser stands, which runs up to a
            // chunk ahead; the limit bounds memory, so "about" is precise enough there, not here.
            $0.maxRecordBytes = 4000
        }
        #expect(results.count == 6)
        #expect([1, 3, 5].compactMap { try? results[$0].get() } == ["ok1", "ok2", "ok3"])
        let codes = [0, 2, 4].map { index -> FHIRDiagnostic.Code? in
            guard case .failure(let error) = results[index] else { return nil }
            #expect(error.fhirPath?.hasPrefix("Bundle.entry[\(index)]") == true, "\(error)")
            return error.code
        }
        #expect(codes == [.tooDeep, .tooLarge, .tooLarge])
        if case .failure(let error) = results[4] { #expect(error.message.contains("(limit maxRecordBytes = ")) }
        if case .failure(let error) = results[2] { #expect(error.message.contains("(limit maxStringBytes = ")) }
    }
}
