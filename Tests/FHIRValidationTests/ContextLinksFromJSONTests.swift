import FHIRBatch
import FHIRCore
import FHIRJSON
import FHIRTestSupport
import Foundation
import IVIGSamples
import Testing

@testable import FHIRValidation
@testable import FHIRValidationIO

/// Streaming validation's first pass reads each JSON record's links without decoding it
/// (``ContextLinks/init(json:)``); they must be those the typed models give
/// (``ContextLinks/init(record:)``) wherever the typed models read the record, and a record
/// they cannot read still gets its keys.
@Suite struct ContextLinksFromJSONTests {
    /// The links streaming validation's first pass gives a JSON record (a whole record, or an
    /// entry of a Bundle read entry by entry).
    static func fromJSON(_ bytes: [UInt8], bundleEntry: Bool = false) throws -> ContextLinks {
        let position: RecordOrigin.Position = bundleEntry ? .bundleEntry(index: 0, line: 1, column: 1) : .line(1)
        let raw = RawRecord(
            origin: RecordOrigin(input: "test.ndjson", position: position, byteOffset: 0), payload: .bytes(bytes))
        return try #require(StreamingValidation.links(of: raw, isXML: false, limits: .default))
    }

    static func sorted(_ links: ContextLinks) -> [[String]] {
        [links.keys.sorted(), links.patientLinks.sorted(), links.lookups.sorted()]
    }

    /// Every record of generated data with clinical faults (orders, administrations with and
    /// without contained Medications, weights, reactions), and the README's example Bundle.
    @Test func linksReadFromJSONAreThoseOfTheTypedModels() throws {
        var records: [[UInt8]] = []
        try IVIGSampleWriter(format: .ndjson, faults: SampleFaultRate(perTenThousand: 2_000))
            .write(count: 2_000, seed: 23) { records += $0.split(separator: 0x0A).map(Array.init) }
        records.append(
            [UInt8](
                try Data(
                    contentsOf: SharedCorpus.packageRoot.appendingPathComponent(
                        "Examples/cidp-induction-bundle.json"))))
        var compared = 0, withLookups = 0, withPatientLinks = 0, bundles = 0
        for bytes in records {
            guard let resource = try? FHIRJSONDecoder().decode(AnyResource.self, from: bytes) else { continue }
            let typed = ContextLinks(record: resource)
            let json = try Self.fromJSON(bytes)
            #expect(
                Self.sorted(json) == Self.sorted(typed),
                "\(String(decoding: bytes.prefix(80), as: UTF8.self))…: JSON \(json), typed \(typed)")
            compared += 1
            if !typed.lookups.isEmpty { withLookups += 1 }
            if !typed.patientLinks.isEmpty { withPatientLinks += 1 }
            if resource.resourceType == "Bundle" { bundles += 1 }
        }
        #expect(compared > 1_900 && withLookups > 100 && withPatientLinks > 1_000 && bundles == 1)
    }

    /// The official examples of the types the typed models read, Bundles among them.
    @Test func officialExamplesGiveTheSameLinks() throws {
        guard let folder = SharedCorpus.url("fhir-r4/json") else {
            print(SharedCorpus.absentMessage)
            return
        }
        var compared = 0
        for file in try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() {
            let bytes = [UInt8](try Data(contentsOf: folder.appendingPathComponent(file)))
            guard let resource = try? FHIRJSONDecoder().decode(AnyResource.self, from: bytes) else { continue }
            #expect(
                Self.sorted(try Self.fromJSON(bytes)) == Self.sorted(ContextLinks(record: resource)), "\(file)")
            compared += 1
        }
        #expect(compared > 20)
    }

    /// A resource type the typed models do not read has no typed links; read from its JSON it
    /// keeps its keys, so a record naming it finds it in its context. A local reference links
    /// nothing, and a streamed Bundle entry is keyed by its fullUrl.
    @Test func otherTypesLocalReferencesAndBundleEntries() throws {
        let encounter = try Self.fromJSON(
            Array(#"{"resourceType":"Encounter","id":"6e0c3b2a-1f1e-4a8e-9b7c-2d2f5a1c9e11","status":"finished"}"#.utf8)
        )
        #expect(
            encounter.keys == [
                "Encounter/6e0c3b2a-1f1e-4a8e-9b7c-2d2f5a1c9e11", "urn:uuid:6e0c3b2a-1f1e-4a8e-9b7c-2d2f5a1c9e11",
            ])
        let order = try Self.fromJSON(
            Array(
                #"""
                {"resourceType":"MedicationRequest","id":"o1","status":"active","intent":"order",
                 "contained":[{"resourceType":"Medication","id":"m"}],"medicationReference":{"reference":"#m"},
                 "subject":{"reference":"Patient/p1"},
                 "reasonReference":[{"reference":"http://x.org/fhir/Condition/c1"}]}
                """#.utf8))
        #expect(order.keys == ["MedicationRequest/o1"])
        #expect(order.lookups.isEmpty)
        #expect(order.patientLinks == ["Patient/p1", "http://x.org/fhir/Condition/c1", "Condition/c1"])
        let entryJSON = #"""
            {"fullUrl":"urn:uuid:1",
             "resource":{"resourceType":"Observation","id":"w","subject":{"reference":"urn:uuid:2"}}}
            """#
        let entry = try Self.fromJSON(Array(entryJSON.utf8), bundleEntry: true)
        #expect(entry.keys == ["urn:uuid:1", "Observation/w"])
        #expect(entry.patientLinks == ["urn:uuid:2"])
    }

    /// A reference is linked as written and, when it has another form the context resolves
    /// (`Type/id` of an absolute URL or a versioned reference), as that too; those with none are
    /// known without parsing them.
    @Test func eachReferenceFormIsLinkedAsTheContextResolvesIt() throws {
        let texts = [
            "Patient/p1", "Patient/p1/_history/2", "http://x.org/fhir/Patient/p1",
            "urn:uuid:6e0c3b2a-1f1e-4a8e-9b7c-2d2f5a1c9e11",
            "urn:oid:1.2.3", "urn:uuid:not-a-uuid", "Patient/ p1", "Unknown/1", "Patient//1", "Observation/a.b-c",
            "a/b:c", "Patient", "https://x.org/Patient/p1/_history/3",
        ]
        for text in texts {
            let json = #"{"resourceType":"Observation","subject":{"reference":"\#(text)"}}"#
            let expected = [text] + (ValidationContext.typeAndID(text).map { $0 == text ? [] : [$0] } ?? [])
            #expect(try Self.fromJSON(Array(json.utf8)).patientLinks == expected, "\(text)")
        }
    }
}
