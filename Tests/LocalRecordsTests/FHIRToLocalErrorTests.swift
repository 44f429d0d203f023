import FHIRCore
import FHIRJSON
import Foundation
import LocalRecords
import Testing

/// The way back refuses what it cannot map, with the FHIRPath of the element.
@Suite struct FHIRToLocalErrorTests {
    static func exampleResource(_ file: String, id: String) throws -> AnyResource {
        let line = LocalNDJSON.lines(try LocalTestFiles.ndjson(file)).first {
            String(decoding: $0.bytes, as: UTF8.self).contains(#""id":"\#(id)""#)
        }!
        return try LocalToFHIR(mappings: try LocalTestFiles.loadMappings()).resources(
            forLine: line.bytes, origin: line.origin)[0]
    }

    @Test func aPatientHasNoLocalRecord() throws {
        let patient = try FHIRJSONDecoder().decode(
            AnyResource.self, from: Array(#"{"resourceType":"Patient","id":"p1"}"#.utf8))
        #expect {
            _ = try FHIRToLocal(mappings: try LocalTestFiles.loadMappings()).record(for: patient)
        } throws: { ($0 as? LocalRecordError)?.code == .unsupportedResource }
    }

    @Test func aBundleEntryThatCannotBeMappedIsNamedByItsIndex() throws {
        let mappings = try LocalTestFiles.loadMappings()
        var bundle = LocalToFHIR(mappings: mappings).bundle(forNDJSON: try LocalTestFiles.ndjson("gbs")).bundle
        guard case .medicationAdministration(var administration)? = bundle.entry[5].resource else {
            Issue.record("expected the second infusion at entry 5")
            return
        }
        administration.status = "entered-in-error-typo"
        bundle.entry[5].resource = .medicationAdministration(administration)
        let thrown = #expect(throws: LocalRecordError.self) {
            _ = try FHIRToLocal(mappings: mappings).records(for: .bundle(bundle))
        }
        #expect(thrown?.fhirPath == "Bundle.entry[5].resource.ofType(MedicationAdministration).status")
        #expect(thrown?.recordID == "GBS-INF-2")
        #expect(thrown?.field == "status")
    }

    @Test func aCodeNoMapKnowsIsRefusedWithItsPath() throws {
        guard case .observation(var observation) = try Self.exampleResource("mmn-first-course", id: "MMN-A-2") else {
            Issue.record("expected an Observation")
            return
        }
        observation.code = CodeableConcept(coding: [Coding(system: "http://loinc.org", code: "83176-8")])
        let thrown = #expect(throws: LocalRecordError.self) {
            _ = try FHIRToLocal(mappings: try LocalTestFiles.loadMappings()).record(for: .observation(observation))
        }
        #expect(thrown?.code == .unknownCode)
        #expect(thrown?.recordID == "MMN-A-2")
        #expect(thrown?.field == "type")
        #expect(thrown?.fhirPath == "Observation.code")
        #expect(thrown?.description.contains("http://loinc.org|83176-8") == true)
    }

    @Test func aMissingIdentifierIsNamed() throws {
        guard case .adverseEvent(var event) = try Self.exampleResource("cidp-induction-maintenance", id: "CIDP-R-1")
        else {
            Issue.record("expected an AdverseEvent")
            return
        }
        event.suspectEntity = []
        let thrown = #expect(throws: LocalRecordError.self) {
            _ = try FHIRToLocal(mappings: try LocalTestFiles.loadMappings()).record(for: .adverseEvent(event))
        }
        #expect(thrown?.code == .missingField)
        #expect(thrown?.field == "infusion_id")
        #expect(thrown?.fhirPath == "AdverseEvent.suspectEntity[0].instance.identifier")
    }

    @Test func twoLocalCodesForOneFHIRCodeComeBackAsTheEquivalentOneOrNotAtAll() throws {
        // A hospital with two local "done" statuses: DONE and DONE2 both map to completed.
        let folder = try LocalTestFiles.temporaryCopyOfMappings()
        defer { try? FileManager.default.removeItem(at: folder) }
        let statusMap = folder.appendingPathComponent("conceptmap-status.json")
        let done = """
                    {
                      "code": "DONE",
                      "target": [
                        {
                          "code": "completed",
                          "equivalence": "equivalent"
                        }
                      ]
                    },
            """
        try LocalTestFiles.replace(
            done, with: done + done.replacingOccurrences(of: #""DONE""#, with: #""DONE2""#), in: statusMap)
        let resource = try Self.exampleResource("gbs", id: "GBS-INF-1")

        let ambiguous = try LocalMappings.load(directory: folder.path)
        let thrown = #expect(throws: LocalRecordError.self) {
            _ = try FHIRToLocal(mappings: ambiguous).record(for: resource)
        }
        #expect(thrown?.code == .ambiguousCode)
        #expect(thrown?.field == "status")
        #expect(thrown?.description.contains("DONE, DONE2") == true)

        // Marking the second one wider makes DONE the way back.
        try LocalTestFiles.replace(
            done.replacingOccurrences(of: #""DONE""#, with: #""DONE2""#),
            with: done.replacingOccurrences(of: #""DONE""#, with: #""DONE2""#).replacingOccurrences(
                of: "equivalent", with: "wider"),
            in: statusMap)
        let preferred = try LocalMappings.load(directory: folder.path)
        guard case .infusion(let infusion) = try FHIRToLocal(mappings: preferred).record(for: resource) else {
            Issue.record("expected an infusion")
            return
        }
        #expect(infusion.status == "DONE")
    }
}
