import Dispatch
import FHIRCore
import IVIGSamples
import Testing

@testable import FHIRJSON
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
            if JSONFastReader.decode(AnyResource.self, from: document) != resource {
                fallbacks.append("\(name): JSON decode")
            }
            guard let xml = XMLFastWriter.encode(resource) else {
                fallbacks.append("\(name): XML encode")
                continue
            }
            if FHIRXMLDecoder().fastDecode(AnyResource.self, from: xml) != resource {
                fallbacks.append("\(name): XML decode")
            }
        }
        #expect(fallbacks.isEmpty, "\(fallbacks.count) fell back; the first: \(fallbacks.prefix(5))")
    }

    /// The fast writers lend array items to the generated code as `inout` without writing them
    /// (`FHIRFast.write`): the same models, encoded on four threads at once, give every thread the
    /// bytes they give one thread alone.
    @Test func sharedModelsEncodeTheSameOnSeveralThreadsAtOnce() {
        var generator = IVIGSampleGenerator(seed: 5)
        let resources = generator.next(400)
        let expected = resources.map { (JSONFastWriter.encode($0), XMLFastWriter.encode($0)) }
        #expect(expected.allSatisfy { $0.0 != nil && $0.1 != nil })
        let threads = 4
        let mismatches = PerThreadCounts(threads)
        defer { mismatches.slots.deallocate() }
        DispatchQueue.concurrentPerform(iterations: threads) { thread in
            for (index, resource) in resources.enumerated() {
                if JSONFastWriter.encode(resource) != expected[index].0 { mismatches.slots[thread] += 1 }
                if XMLFastWriter.encode(resource) != expected[index].1 { mismatches.slots[thread] += 1 }
            }
        }
        #expect(Array(mismatches.slots) == Array(repeating: 0, count: threads))
    }
}

/// A count per thread, each thread writing only its own slot.
private struct PerThreadCounts: @unchecked Sendable {
    let slots: UnsafeMutableBufferPointer<Int>

    init(_ threads: Int) {
        slots = .allocate(capacity: threads)
        slots.initialize(repeating: 0)
    }
}
