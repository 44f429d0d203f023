import FHIRTestSupport
import Foundation
import Testing

/// `ivig-fhir validate --package … --profile …`: validation from the definitions through the
/// built binary, on files as a user writes them.
@Suite struct ValidateProfileCLITests {
    static let usCorePatient = "http://hl7.org/fhir/us/core/StructureDefinition/us-core-patient"

    /// Writes `text` to a temporary file named `name` and returns its path.
    func file(_ name: String, _ text: String) throws -> String {
        try SampleRecords.temporaryFile(name, text)
    }

    var usCorePackage: String? {
        SharedCorpus.url("packages/hl7.fhir.us.core-3.1.0.tgz").map(\.path).flatMap {
            FileManager.default.fileExists(atPath: $0) ? $0 : nil
        }
    }

    @Test func aUSCoreProfileIsCheckedFromItsPackage() throws {
        guard let package = usCorePackage else { return print(SharedCorpus.absentMessage) }
        let patient = try file(
            "patient.json",
            #"""
            {"resourceType": "Patient", "id": "p1",
             "name": [{"family": "Shaw", "given": ["Amy"]}], "gender": "female"}
            """#)
        let result = try CLIRunner.run(["validate", "--package", package, "--profile", Self.usCorePatient, patient])
        #expect(result.exitCode == 2, "\(result.standardError)")
        #expect(
            result.standardOutput.contains(
                "patient.json:1:1: error: Patient.identifier: at least 1 required, found 0 "
                    + "[struct-cardinality-min] (Patient.identifier)"), "\(result.standardOutput)")
        let conforming = try file(
            "patient.json",
            #"""
            {"resourceType": "Patient", "id": "p1", "identifier": [{"system": "urn:oid:1.2.3", "value": "7"}],
             "name": [{"family": "Shaw", "given": ["Amy"]}], "gender": "female"}
            """#)
        let passed = try CLIRunner.run(["validate", "--package", package, "--profile", Self.usCorePatient, conforming])
        #expect(passed.exitCode == 0, "\(passed.standardOutput)\(passed.standardError)")
    }

    @Test func aProfileNoPackageDefinesIsBadUsage() throws {
        let patient = try file("patient.json", #"{"resourceType": "Patient", "id": "p1"}"#)
        let result = try CLIRunner.run(["validate", "--profile", Self.usCorePatient, patient])
        #expect(result.exitCode == 64)
        #expect(result.standardError.contains("no loaded package defines this profile"))
    }

    @Test func everyFindingIsReportedAfterADecodeError() throws {
        // A dateTime without its zone, and later an element with only an id (ele-1).
        let observation = try file(
            "observation.json",
            #"""
            {"resourceType": "Observation", "status": "final", "code": {"text": "weight"},
             "issued": "2020-01-02T10:00:00",
             "_implicitRules": {"id": "i1"}}
            """#)
        let result = try CLIRunner.run(["validate", observation])
        #expect(result.exitCode == 2)
        #expect(result.standardOutput.contains("[struct-format] (Observation.issued)"), "\(result.standardOutput)")
        #expect(result.standardOutput.contains("[ele-1] (Observation.implicitRules)"), "\(result.standardOutput)")
    }

    @Test func unknownExtensionsCanBeErrors() throws {
        let patient = try file(
            "patient.json",
            #"""
            {"resourceType": "Patient", "extension": [{"url": "http://example.org/x", "valueString": "y"}]}
            """#)
        let warned = try CLIRunner.run(["validate", patient])
        #expect(warned.exitCode == 0)
        #expect(warned.standardOutput.contains("warning:") && warned.standardOutput.contains("[ext-unknown]"))
        let refused = try CLIRunner.run(["validate", "--unknown-extensions", "error", patient])
        #expect(refused.exitCode == 2)
        #expect(refused.standardOutput.contains("error:") && refused.standardOutput.contains("[ext-unknown]"))
    }
}
