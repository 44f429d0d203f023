import FHIRCore
import FHIRJSON
import FHIRXML
import Foundation
import LocalRecords
import Testing

/// The FHIR versions of the examples in `Examples/local/` are what the mapper writes today.
///
/// To write them again after a deliberate change to the mapping or the examples:
/// `IVIG_REGENERATE_LOCAL_EXAMPLES=1 swift test --filter CommittedExampleTests`, then review the diff.
@Suite struct CommittedExampleTests {
    static let regenerate = ProcessInfo.processInfo.environment["IVIG_REGENERATE_LOCAL_EXAMPLES"] == "1"

    static func bundle(_ name: String) throws -> AnyResource {
        let (bundle, rejects) = LocalToFHIR(mappings: try LocalTestFiles.loadMappings()).bundle(
            forNDJSON: try LocalTestFiles.ndjson(name), file: name + ".ndjson")
        #expect(rejects.isEmpty, "\(rejects.map(\.description))")
        return .bundle(bundle)
    }

    @Test(arguments: try LocalTestFiles.exampleNames())
    func fhirJSONMatchesTheCommittedFile(name: String) throws {
        let resource = try Self.bundle(name)
        let written = try FHIRJSONEncoder(pretty: true).encode(resource)
        let file = LocalTestFiles.examples.appendingPathComponent(name + ".json")
        if Self.regenerate { try Data(written + [UInt8(ascii: "\n")]).write(to: file) }
        let committed = try LocalTestFiles.bytes(file)
        let difference = try JSONTree.parse(committed).firstDifference(from: JSONTree.parse(written))
        #expect(
            difference == nil, "Examples/local/\(name).json differs from the mapper's output at \(difference ?? "")")
        #expect(try FHIRJSONDecoder().decode(AnyResource.self, from: committed) == resource)
    }

    @Test(arguments: try LocalTestFiles.exampleNames())
    func fhirXMLMatchesTheCommittedFile(name: String) throws {
        let resource = try Self.bundle(name)
        let file = LocalTestFiles.examples.appendingPathComponent(name + ".xml")
        if Self.regenerate {
            try Data(try FHIRXMLEncoder(pretty: true).encode(resource) + [UInt8(ascii: "\n")]).write(to: file)
        }
        let committed = try FHIRXMLDecoder().decode(AnyResource.self, from: try LocalTestFiles.bytes(file))
        #expect(committed == resource, "Examples/local/\(name).xml differs from the mapper's output")
    }
}
