import FHIRCore
import FHIRJSON
import FHIRTestSupport
import FHIRXML
import Foundation
import Testing

/// JSON → model → XML → model → JSON over the published R4 examples (with their narratives):
/// the JSON at the end must equal the JSON at the start, so XML lost nothing on the way.
@Suite struct PublishedJSONThroughXMLTests {
    @Test func everyPublishedExampleSurvivesAPassThroughXML() throws {
        guard let folder = SharedCorpus.url("fhir-r4/published-json") else {
            print(SharedCorpus.absentMessage)
            return
        }
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { $0.hasSuffix(".json") }.sorted()
        var checked = 0, equal = 0, unsupported = 0
        var misses: [String] = []
        for name in names {
            let bytes = try [UInt8](Data(contentsOf: folder.appendingPathComponent(name)))
            let decoded = Result { () throws(FHIRDiagnostic) in
                try FHIRJSONDecoder().decode(AnyResource.self, from: bytes)
            }
            guard case .success(let resource) = decoded else {
                if case .failure(let error) = decoded, error.code == .unsupportedResourceType {
                    unsupported += 1  // a type outside the supported set; the JSON suite covers that error
                } else {
                    misses.append("\(name): \(decoded)")
                }
                continue
            }
            checked += 1
            do {
                if let difference = try CanonicalXML.jsonDifferenceThroughXML(resource, original: bytes) {
                    misses.append("\(name): \(difference)")
                } else {
                    equal += 1
                }
            } catch {
                misses.append("\(name): \(error)")
            }
        }
        print(
            "published JSON through XML: \(checked) files checked, \(equal) equal,"
                + " \(unsupported) skipped as unsupported types, \(misses.count) misses")
        for miss in misses { print("  MISS \(miss)") }
        #expect(checked > 150)
        #expect(misses.isEmpty, "first miss: \(misses.first ?? "")")
    }
}
