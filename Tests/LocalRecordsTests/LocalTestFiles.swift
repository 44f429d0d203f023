import FHIRCore
import FHIRJSON
import FHIRTestSupport
import FHIRXML
import Foundation
import LocalRecords

/// The package's own mapping folders and local examples, by path.
enum LocalTestFiles {
    /// `Mappings/`: the infusion unit's mapping set.
    static var mappings: String { SharedCorpus.packageRoot.appendingPathComponent("Mappings").path }
    /// `Mappings/examples/other-hospital/`: a second hospital's codes for the same things.
    static var otherHospitalMappings: String {
        SharedCorpus.packageRoot.appendingPathComponent("Mappings/examples/other-hospital").path
    }
    /// `Examples/local/`: the examples as local NDJSON, FHIR JSON and FHIR XML.
    static var examples: URL { SharedCorpus.packageRoot.appendingPathComponent("Examples/local") }
    /// `Examples/local/other-hospital/`: the same examples in the second hospital's codes.
    static var otherHospitalExamples: URL { examples.appendingPathComponent("other-hospital") }

    /// The examples every test runs over: each `Examples/local/NAME.ndjson`, by NAME.
    static func exampleNames() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: examples.path)
            .filter { $0.hasSuffix(".ndjson") }.map { String($0.dropLast(".ndjson".count)) }.sorted()
    }

    static func bytes(_ url: URL) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: url))
    }

    static func ndjson(_ name: String, in folder: URL? = nil) throws -> [UInt8] {
        try bytes((folder ?? examples).appendingPathComponent(name + ".ndjson"))
    }

    static func loadMappings() throws -> LocalMappings {
        try LocalMappings.load(directory: mappings)
    }

    /// A copy of `Mappings/` in a fresh temporary folder (products.json included), for tests that
    /// change one file.
    static func temporaryCopyOfMappings() throws -> URL {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("ivig-local-mappings-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for name in try FileManager.default.contentsOfDirectory(atPath: mappings) where name.hasSuffix(".json") {
            try FileManager.default.copyItem(
                at: URL(fileURLWithPath: mappings).appendingPathComponent(name), to: folder.appendingPathComponent(name)
            )
        }
        return folder
    }

    /// Edits a JSON file in place as text.
    static func replace(_ old: String, with new: String, in file: URL) throws {
        let text = try String(contentsOf: file, encoding: .utf8)
        precondition(text.contains(old), "\(file.lastPathComponent) does not contain \(old)")
        try text.replacingOccurrences(of: old, with: new).write(to: file, atomically: true, encoding: .utf8)
    }
}
