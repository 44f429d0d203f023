import FHIRCore
import FHIRTestSupport
import FHIRXML
import Foundation
import Testing

/// Reading a Bundle entry by entry gives the same entries as reading it whole.
@Suite struct BundleStreamTests {
    static let bundle = """
        <?xml version="1.0" encoding="UTF-8"?>
        <Bundle xmlns="http://hl7.org/fhir">
          <id value="b1"/>
          <type value="collection"/>
          <!-- a comment between entries -->
          <entry>
            <fullUrl value="urn:uuid:1"/>
            <resource><Patient><id value="p1"/></Patient></resource>
          </entry>
          <entry>
            <resource>
              <Observation><status value="final"/><code><text value="weight"/></code>
                <valueQuantity><value value="70.50"/><unit value="kg"/></valueQuantity></Observation>
            </resource>
          </entry>
          <entry>
            <resource><MedicationRequest><status value="active"/><intent value="order"/></MedicationRequest></resource>
          </entry>
        </Bundle>
        """

    static func drain(_ stream: FHIRXMLBundleStream) throws(FHIRDiagnostic) -> [FHIRXMLBundleStream.Item] {
        var items: [FHIRXMLBundleStream.Item] = []
        while let item = try stream.next() { items.append(item) }
        return items
    }

    @Test func yieldsEachEntryWithItsIndexAndLine() throws {
        let items = try Self.drain(FHIRXMLBundleStream(bytes: TestInput.bytes(Self.bundle)))
        #expect(items.map(\.index) == [0, 1, 2])
        #expect(items.map(\.line) == [6, 10, 16])
        #expect(items.map { $0.entry.resource?.resourceType } == ["Patient", "Observation", "MedicationRequest"])
        #expect(items[0].entry.fullUrl?.value == "urn:uuid:1")
        let whole = try FHIRXMLDecoder().decode(Bundle.self, from: TestInput.bytes(Self.bundle))
        #expect(items.map(\.entry) == whole.entry)
    }

    @Test func readsFromAFile() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("fhirxml-stream-\(UUID()).xml")
        try Data(Self.bundle.utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let items = try Self.drain(FHIRXMLBundleStream(path: url.path))
        #expect(items.count == 3)
        #expect(items.last?.entry.resource?.resourceType == "MedicationRequest")
    }

    @Test func invalidEntryNamesItsIndexAndResource() throws {
        let xml = Self.bundle.replacingOccurrences(
            of: "<intent value=\"order\"/>", with: "<intent value=\"order\"/><dose value=\"1\"/>")
        let stream = try FHIRXMLBundleStream(bytes: TestInput.bytes(xml))
        #expect(try stream.next()?.index == 0)
        #expect(try stream.next()?.index == 1)
        do {
            _ = try stream.next()
            Issue.record("the third entry should fail")
        } catch {
            #expect(error.fhirPath == "Bundle.entry[2].resource.ofType(MedicationRequest).dose")
            #expect(error.location?.line == 17)
            #expect(error.message.hasPrefix("unknown element 'dose'"))
        }
    }

    /// libxml2 keeps an element's line in 16 bits; in compact XML (no text between the tags)
    /// the entries past line 65535 are still placed at their own lines, and so are the errors
    /// inside them. Past that line the reader's parser gives the line, which may have read up to
    /// 512 bytes ahead: these entries are longer, as real resources are.
    @Test func entriesPastLine65535KeepTheirLines() throws {
        let short = 65_500
        let long = 100
        let padding = String(repeating: "0", count: 600)
        var xml = #"<Bundle xmlns="http://hl7.org/fhir"><type value="collection"/>"# + "\n"
        for index in 0..<short { xml += #"<entry><fullUrl value="urn:uuid:\#(index)"/></entry>"# + "\n" }
        for index in 0..<long { xml += #"<entry><fullUrl value="urn:x:\#(index)-\#(padding)"/></entry>"# + "\n" }
        xml += #"<entry><fullUrl value="urn:x:\#(padding)"/><resource><MedicationRequest>"#
        xml += #"<status value="active"/><dose value="1"/></MedicationRequest></resource></entry>"# + "\n</Bundle>\n"
        let stream = try FHIRXMLBundleStream(bytes: TestInput.bytes(xml))
        var wrongLines = 0
        var count = 0
        do {
            while let item = try stream.next() {
                if item.line != item.index + 2 { wrongLines += 1 }
                count += 1
            }
            Issue.record("the last entry should fail")
        } catch {
            #expect(error.fhirPath == "Bundle.entry[\(short + long)].resource.ofType(MedicationRequest).dose")
            #expect(error.location?.line == short + long + 2)
        }
        #expect(count == short + long)
        #expect(wrongLines == 0)
    }

    @Test func malformedXMLAfterGoodEntriesIsReportedWithItsLine() throws {
        let xml = Self.bundle.replacingOccurrences(of: "<intent value=\"order\"/>", with: "<intent value=\"order\">")
        let stream = try FHIRXMLBundleStream(bytes: TestInput.bytes(xml))
        var seen = 0
        do {
            while try stream.next() != nil { seen += 1 }
            Issue.record("malformed input should fail")
        } catch {
            #expect(error.code == .syntax)
            #expect(error.message.contains("Opening and ending tag mismatch: intent line 17 and MedicationRequest"))
            #expect(error.location?.line == 17)
        }
        #expect(seen == 2)
        #expect(try stream.next() == nil)  // finished after an error
    }

    @Test func rootMustBeABundle() throws {
        let stream = try FHIRXMLBundleStream(bytes: TestInput.bytes("<Patient xmlns=\"http://hl7.org/fhir\"/>"))
        do {
            _ = try stream.next()
            Issue.record("a Patient root should fail")
        } catch {
            #expect(error.message == "expected a FHIR <Bundle xmlns=\"http://hl7.org/fhir\"> but the root is <Patient>")
        }
    }

    @Test func entrySizeLimit() throws {
        let decoder = FHIRXMLDecoder(limits: FHIRXMLLimits(maxEntryBytes: 64))
        let stream = try FHIRXMLBundleStream(bytes: TestInput.bytes(Self.bundle), decoder: decoder)
        do {
            _ = try Self.drain(stream)
            Issue.record("an entry over 64 bytes should fail")
        } catch {
            #expect(error.code == .tooLarge)
            #expect(error.message.contains("exceeds the limit of 64 bytes (FHIRXMLLimits.maxEntryBytes)"))
        }
    }

    @Test func corpusBundlesStreamLikeTheyDecode() throws {
        guard let folder = SharedCorpus.url("fhir-r4/xml") else {
            print(SharedCorpus.absentMessage)
            return
        }
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { $0.hasPrefix("bundle-") || $0 == "patient-examples-general.xml" }.sorted()
        #expect(names.count == 10)
        for name in names {
            let bytes = Array(try Data(contentsOf: folder.appendingPathComponent(name)))
            let whole = try FHIRXMLDecoder().decode(Bundle.self, from: bytes)
            let streamed = try Self.drain(FHIRXMLBundleStream(bytes: bytes)).map(\.entry)
            #expect(streamed == whole.entry, "\(name)")
        }
    }
}
