import FHIRCore
import FHIRJSON
import FHIRXML
import LocalRecords
import Testing

/// Every local example goes to FHIR and back, through FHIR JSON and through FHIR XML, and
/// comes back field for field.
@Suite struct ExampleRoundTripTests {
    @Test func theFourRequiredExamplesExist() throws {
        let names = try LocalTestFiles.exampleNames()
        for required in ["mmn-first-course", "kawasaki-infant", "cidp-induction-maintenance", "gbs"] {
            #expect(names.contains(required), "Examples/local/\(required).ndjson is missing")
        }
    }

    @Test(arguments: try LocalTestFiles.exampleNames())
    func localToFHIRToLocalGivesEveryFieldBack(name: String) throws {
        let mappings = try LocalTestFiles.loadMappings()
        let lines = LocalNDJSON.lines(try LocalTestFiles.ndjson(name), file: name + ".ndjson")
        let (bundle, rejects) = LocalToFHIR(mappings: mappings).bundle(
            forNDJSON: try LocalTestFiles.ndjson(name), file: name + ".ndjson")
        #expect(rejects.isEmpty, "\(rejects.map(\.description))")
        #expect(bundle.entry.count == lines.count)

        // Through the wire formats, as a receiving system would see them.
        let viaJSON = try FHIRJSONDecoder().decode(
            AnyResource.self, from: try FHIRJSONEncoder().encode(AnyResource.bundle(bundle)))
        let viaXML = try FHIRXMLDecoder().decode(
            AnyResource.self, from: try FHIRXMLEncoder().encode(AnyResource.bundle(bundle)))
        for (format, resource) in [("JSON", viaJSON), ("XML", viaXML)] {
            let records = try FHIRToLocal(mappings: mappings).records(for: resource)
            try #require(records.count == lines.count)
            for (line, record) in zip(lines, records) {
                let original = try JSONTree.parse(line.bytes)
                let back = try JSONTree.parse(LocalRecordWriter().json(record))
                #expect(
                    original.firstDifference(from: back) == nil,
                    "\(name).ndjson:\(line.origin.line!) via \(format): \(original.firstDifference(from: back) ?? "")")
            }
        }
    }

    @Test(arguments: try LocalTestFiles.exampleNames())
    func eachLineMapsAloneToTheSameResourceAsInTheBundle(name: String) throws {
        // The NDJSON path (one record at a time, as the batch pipeline calls it) agrees with the
        // Bundle path, and one resource alone is enough to get its record back.
        let mappings = try LocalTestFiles.loadMappings()
        let toFHIR = LocalToFHIR(mappings: mappings)
        let bundle = toFHIR.bundle(forNDJSON: try LocalTestFiles.ndjson(name)).bundle
        for (index, line) in LocalNDJSON.lines(try LocalTestFiles.ndjson(name)).enumerated() {
            let resources = try toFHIR.resources(forLine: line.bytes, origin: line.origin)
            try #require(resources.count == 1)
            #expect(resources[0] == bundle.entry[index].resource)
            let back = try FHIRToLocal(mappings: mappings).localJSON(for: resources[0])
            #expect(back == line.bytes, "line \(line.origin.line!): \(String(decoding: back, as: UTF8.self))")
        }
    }

    @Test func referencesBetweenRecordsResolveInsideTheBundle() throws {
        let mappings = try LocalTestFiles.loadMappings()
        let bundle = LocalToFHIR(mappings: mappings).bundle(
            forNDJSON: try LocalTestFiles.ndjson("cidp-induction-maintenance")
        ).bundle
        let fullURLs = Set(bundle.entry.compactMap(\.fullUrl?.value))
        var references: [String] = []
        for entry in bundle.entry {
            switch entry.resource {
            case .medicationAdministration(let administration)?:
                references.append(try #require(administration.request?.reference?.value))
            case .observation(let observation)?:
                references += observation.basedOn.compactMap(\.reference?.value)
            case .adverseEvent(let event)?:
                references += event.suspectEntity.compactMap(\.instance?.reference?.value)
            default: break
            }
        }
        #expect(references.count == 7 + 8 + 1)  // 7 infusions, 8 assessments, 1 reaction
        for reference in references {
            #expect(fullURLs.contains(reference), "\(reference) does not resolve in the Bundle")
        }
    }

    @Test func idsAreNameBasedUUIDsOfTheLocalId() throws {
        // Reference values from Python's uuid.uuid5(uuid.NAMESPACE_URL, "<identifier system>|<id>").
        let toFHIR = LocalToFHIR(mappings: try LocalTestFiles.loadMappings())
        #expect(toFHIR.resourceID(kind: .order, id: "MMN-ORD-1") == "61bf0012-fbbd-5677-aaa6-35b94e3e337c")
        #expect(toFHIR.fullURL(kind: .infusion, id: "CIDP-INF-6") == "urn:uuid:899db30a-45fe-5555-8e7e-e5b86b000d6a")
    }

    @Test func theAdministeredRateIsTheHighestStepAndTheStepsSurvive() throws {
        let mappings = try LocalTestFiles.loadMappings()
        let lines = LocalNDJSON.lines(try LocalTestFiles.ndjson("cidp-induction-maintenance"))
        let line = try #require(
            lines.first { String(decoding: $0.bytes, as: UTF8.self).contains(#""id":"CIDP-INF-6""#) })
        let resource = try #require(
            try LocalToFHIR(mappings: mappings).resources(forLine: line.bytes, origin: line.origin).first)
        guard case .medicationAdministration(let administration) = resource,
            case .quantity(let rate)? = administration.dosage?.rate
        else {
            Issue.record("expected a MedicationAdministration with a rateQuantity")
            return
        }
        // Steps 80, 160, 320, then slowed to 160 mL/hr after the headache.
        #expect(rate.value?.value?.text == "320")
        #expect(rate.unit?.value == "mL/hr")
        #expect(rate.code?.value == "mL/h")
        #expect(
            administration.dosage?.extension.filter {
                $0.url == "https://ivig-fhir.example.org/StructureDefinition/rate-step"
            }.count == 4)
    }
}
