import FHIRCore
import FHIRJSON
import FHIRTestSupport
import FHIRXML
import Foundation
import Testing

/// Converting to the other format and back is the identity, in both directions:
/// JSON → XML → JSON over every JSON file (compared as trees with `JSONTree.firstDifference`,
/// narratives as canonical XHTML) and XML → JSON → XML over every XML file (compared with
/// `CanonicalXML`).
///
/// Already covered elsewhere: `published-json/` through XML (PublishedJSONThroughXMLTests), and
/// each official pair against its twin (CrossFormatCorpusTests). This suite adds the round trips
/// of `json/`, `fhir-test-cases/json`, `xml/`, `fhir-test-cases/xml` and `Examples/`.
@Suite struct IdentityBothWaysTests {
    static let jsonFolders = ["fhir-r4/json", "fhir-r4/fhir-test-cases/json"]

    @Test func jsonThroughXMLIsIdentity() throws {
        var inputs = try ExampleFiles.json()
        if SharedCorpus.root == nil {
            print(SharedCorpus.absentMessage + " (checking Examples/ only)")
        } else {
            for folder in Self.jsonFolders {
                let url = try #require(SharedCorpus.url(folder))
                for name in try FileManager.default.contentsOfDirectory(atPath: url.path)
                    .filter({ $0.hasSuffix(".json") }).sorted()
                {
                    inputs.append(("\(folder)/\(name)", url.appendingPathComponent(name)))
                }
            }
        }
        var equal = 0
        var misses: [String] = []
        for (name, url) in inputs {
            let original = try [UInt8](Data(contentsOf: url))
            do {
                let resource = try FHIRJSONDecoder().decode(AnyResource.self, from: original)
                if let difference = try CanonicalXML.jsonDifferenceThroughXML(resource, original: original) {
                    misses.append("\(name): \(difference)")
                } else {
                    equal += 1
                }
            } catch {
                misses.append("\(name): \(error)")
            }
        }
        print("JSON -> XML -> JSON: \(inputs.count) files checked, \(equal) identical, \(misses.count) different")
        for miss in misses { print("  MISS \(miss)") }
        #expect(misses.isEmpty, "first miss: \(misses.first ?? "")")
        #expect(equal == inputs.count)
        if SharedCorpus.root != nil {
            #expect(inputs.count == 178 + 6 + (try ExampleFiles.json()).count)
        }
    }

    @Test func xmlThroughJSONIsIdentity() throws {
        // The official XML files, plus the XML the encoder writes for each example (Examples/ is JSON only).
        var inputs: [(String, [UInt8])] = []
        if SharedCorpus.root == nil {
            print(SharedCorpus.absentMessage + " (checking Examples/ only)")
        }
        for file in CorpusXMLRoundTripTests.files() {
            let name =
                file.deletingLastPathComponent().deletingLastPathComponent().lastPathComponent
                + "/xml/" + file.lastPathComponent
            inputs.append((name, try [UInt8](Data(contentsOf: file))))
        }
        for (name, url) in try ExampleFiles.json() {
            let resource = try FHIRJSONDecoder().decode(AnyResource.self, from: [UInt8](Data(contentsOf: url)))
            inputs.append((name + " (as written XML)", try FHIRXMLEncoder(pretty: true).encode(resource)))
        }
        var equal = 0
        var misses: [String] = []
        for (name, original) in inputs {
            do {
                let resource = try FHIRXMLDecoder().decode(AnyResource.self, from: original)
                let json = try FHIRJSONEncoder().encode(resource)
                let back = try FHIRJSONDecoder().decode(AnyResource.self, from: json)
                let written = try FHIRXMLEncoder(pretty: true).encode(back)
                if let difference = CanonicalXML.difference(expected: original, actual: written) {
                    misses.append("\(name): \(difference)")
                } else {
                    equal += 1
                }
            } catch {
                misses.append("\(name): \(error)")
            }
        }
        print("XML -> JSON -> XML: \(inputs.count) files checked, \(equal) identical, \(misses.count) different")
        for miss in misses { print("  MISS \(miss)") }
        #expect(misses.isEmpty, "first miss: \(misses.first ?? "")")
        #expect(equal == inputs.count)
        if SharedCorpus.root != nil {
            #expect(inputs.count == 178 + 6 + (try ExampleFiles.json()).count)
        }
    }
}
