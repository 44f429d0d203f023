import FHIRCore
@testable import FHIRJSON
import IVIGSamples
import Testing

@testable import FHIRXML

/// The generated records are the common case the fast path is for: every one of them decodes
/// and encodes on it, in both formats (a fall-back here would make the benchmarks measure the
/// Codable path instead).
@Suite struct SampleFastPathTests {
    @Test func everySampleTakesTheFastPathBothWays() throws {
        var generator = IVIGSampleGenerator(seed: 77)
        var fallbacks: [String] = []
        for resource in generator.next(1500) {
            let name = "\(resource.resourceType)/\(resource.resource.id?.value ?? "")"
            guard let json = JSONFastWriter.encode(resource) else {
                fallbacks.append("\(name): JSON encode")
                continue
            }
            let document = try JSONScanner.parse(json, maxDepth: 64)
            if JSONFastReader.decode(AnyResource.self, from: document) != resource { fallbacks.append("\(name): JSON decode") }
            guard let xml = XMLFastWriter.encode(resource) else {
                fallbacks.append("\(name): XML encode")
                continue
            }
            if FHIRXMLDecoder().fastDecode(AnyResource.self, from: xml) != resource { fallbacks.append("\(name): XML decode") }
        }
        #expect(fallbacks.isEmpty, "\(fallbacks.count) fell back; the first: \(fallbacks.prefix(5))")
    }
}
