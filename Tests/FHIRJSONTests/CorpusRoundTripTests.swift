import FHIRCore
import FHIRJSON
import FHIRTestSupport
import Foundation
import Testing

/// Every JSON file of the shared corpus whose resources are all supported must decode and
/// encode back to JSON equal to the source; files holding another type must fail with a clear
/// "unsupported resource type" error.
@Suite struct CorpusRoundTripTests {
    static let folders = ["fhir-r4/json", "fhir-r4/published-json", "fhir-r4/fhir-test-cases/json"]

    @Test func everyCorpusFileRoundTrips() throws {
        guard SharedCorpus.root != nil else {
            print(SharedCorpus.absentMessage)
            return
        }
        var checked = 0, equal = 0, unsupported = 0
        var failures: [String] = []
        for folder in Self.folders {
            let url = try #require(SharedCorpus.url(folder))
            let names = try FileManager.default.contentsOfDirectory(atPath: url.path).filter { $0.hasSuffix(".json") }
                .sorted()
            for name in names {
                let bytes = try [UInt8](Data(contentsOf: url.appendingPathComponent(name)))
                let source = try JSONTree.parse(bytes)
                if let foreign = Self.unsupportedType(in: source) {
                    unsupported += 1
                    do {
                        _ = try FHIRJSONDecoder().decode(AnyResource.self, from: bytes)
                        failures.append("\(folder)/\(name): holds \(foreign) but decoded without error")
                    } catch {
                        if !error.message.contains("unsupported resource type '\(foreign)'") {
                            failures.append("\(folder)/\(name): expected an unsupported-type error, got \(error)")
                        }
                    }
                    continue
                }
                checked += 1
                do {
                    let resource = try FHIRJSONDecoder().decode(AnyResource.self, from: bytes)
                    let written = try JSONTree.parse(FHIRJSONEncoder().encode(resource))
                    if let difference = source.firstDifference(from: written) {
                        failures.append("\(folder)/\(name): differs at \(difference)")
                    } else {
                        equal += 1
                    }
                } catch {
                    failures.append("\(folder)/\(name): \(error)")
                }
            }
        }
        print(
            "JSON corpus round trip: \(checked) files checked, \(equal) equal, \(unsupported) skipped as unsupported types"
        )
        for failure in failures { print("  FAIL \(failure)") }
        #expect(checked > 300, "the corpus should hold well over 300 supported files")
        #expect(failures.isEmpty, "\(failures.count) corpus files failed; the first: \(failures.first ?? "")")
    }

    /// The first resource type in the document (root, contained, Bundle entries, Parameters)
    /// outside the supported set.
    static func unsupportedType(in tree: JSONTree) -> String? {
        switch tree {
        case .object(let members):
            if case .string(let type)? = members["resourceType"], !AnyResource.supportedTypes.contains(type) {
                return type
            }
            for value in members.values { if let found = unsupportedType(in: value) { return found } }
            return nil
        case .array(let elements):
            for element in elements { if let found = unsupportedType(in: element) { return found } }
            return nil
        default:
            return nil
        }
    }
}
