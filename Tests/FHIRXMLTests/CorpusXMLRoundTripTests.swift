import FHIRCore
import FHIRTestSupport
import Foundation
import Testing

@testable import FHIRXML

/// XML → model → XML over every official XML example: the written document must equal the
/// official one canonically.
@Suite struct CorpusXMLRoundTripTests {
    static let folders = ["fhir-r4/xml", "fhir-r4/fhir-test-cases/xml"]

    static func files() -> [URL] {
        folders.flatMap { folder -> [URL] in
            guard let url = SharedCorpus.url(folder),
                let names = try? FileManager.default.contentsOfDirectory(atPath: url.path)
            else { return [] }
            return names.filter { $0.hasSuffix(".xml") }.sorted().map { url.appendingPathComponent($0) }
        }
    }

    @Test func everyOfficialXMLRoundTrips() throws {
        let files = Self.files()
        guard !files.isEmpty else {
            print(SharedCorpus.absentMessage)
            return
        }
        var equal = 0
        var misses: [String] = []
        for file in files {
            let bytes = Array(try Data(contentsOf: file))
            let name =
                file.deletingLastPathComponent().deletingLastPathComponent().lastPathComponent
                + "/" + file.lastPathComponent
            do {
                let resource = try FHIRXMLDecoder().decode(AnyResource.self, from: bytes)
                let written = try FHIRXMLEncoder(pretty: true).encode(resource)
                if let difference = CanonicalXML.difference(expected: bytes, actual: written) {
                    misses.append("\(name): \(difference)")
                } else {
                    equal += 1
                }
            } catch {
                misses.append("\(name): \(error)")
            }
        }
        print("XML round trip: \(files.count) files checked, \(equal) equal, \(misses.count) different")
        for miss in misses { print("  MISS \(miss)") }
        #expect(misses.isEmpty)
        #expect(equal == files.count)
    }
}
