import FHIRTestSupport
import Foundation
import Testing

/// `serve --package … --profile …` validates as `validate` does with the same options, and a
/// `Parameters` wrapping a resource of any type is validated like the bare resource.
@Suite("serve: profiles, packages and Parameters of any type")
struct ServeProfileTests {
    static let usCorePatient = "http://hl7.org/fhir/us/core/StructureDefinition/us-core-patient"
    static let patient =
        #"{"resourceType":"Patient","id":"p1","name":[{"family":"Shaw","given":["Amy"]}],"gender":"female"}"#
    static let encounter =
        #"{"resourceType":"Encounter","id":"e1","#
        + #""class":{"system":"http://terminology.hl7.org/CodeSystem/v3-ActCode","code":"IMP"}}"#

    var usCorePackage: String? {
        SharedCorpus.url("packages/hl7.fhir.us.core-3.1.0.tgz").map(\.path).flatMap {
            FileManager.default.fileExists(atPath: $0) ? $0 : nil
        }
    }

    /// `validate --format json ARGUMENTS` of `body` saved as a file: the rule ids it reports.
    private func cliRules(_ arguments: [String], body: String) throws -> [String] {
        let directory = try SampleRecords.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("r.json")
        try body.write(to: file, atomically: true, encoding: .utf8)
        let result = try CLIRunner.run(["validate", "--format", "json"] + arguments + [file.path])
        let outcome = try JSONSerialization.jsonObject(with: Data(result.outputBytes)) as? [String: Any] ?? [:]
        return ruleIDs(outcome)
    }

    private func validate(_ server: ServerProcess, _ body: String, type: String = "application/fhir+json") throws
        -> (status: Int, rules: [String])
    {
        let answer = try Curl.request(
            "POST", server.base + "/$validate?_format=json", headers: ["Content-Type": type], body: Array(body.utf8))
        return (answer.status, ruleIDs(try answer.json()))
    }

    @Test("--package and --profile: the profile applies to every resource, as in `validate`")
    func profileFromAPackage() throws {
        guard let package = usCorePackage else { return print(SharedCorpus.absentMessage) }
        let options = ["--package", package, "--profile", Self.usCorePatient]
        let server = try ServerProcess(options)
        defer { _ = server.terminate() }
        let answer = try validate(server, Self.patient)
        #expect(answer.status == 200)
        #expect(answer.rules.contains("struct-cardinality-min"), "\(answer.rules)")  // us-core: identifier 1..*
        #expect(answer.rules.sorted() == (try cliRules(options, body: Self.patient)).sorted())
        // Without the options the same Patient has no such finding.
        let plain = try validate(try SharedServer.get(), Self.patient)
        #expect(!plain.rules.contains("struct-cardinality-min"), "\(plain.rules)")
    }

    @Test("--profile that no loaded package defines: bad usage, the server does not start")
    func unknownProfileIsBadUsage() throws {
        let result = try CLIRunner.run(["serve", "--port", "0", "--profile", Self.usCorePatient])
        #expect(result.exitCode == 64)
        #expect(result.standardError.contains("no loaded package defines this profile"), "\(result.standardError)")
    }

    @Test("a Parameters wrapping an Encounter (outside the IVIG set) is validated like the bare Encounter")
    func parametersOfAnyType() throws {
        let server = try SharedServer.get()
        let bare = try validate(server, Self.encounter)
        #expect(bare.status == 200)
        #expect(!bare.rules.isEmpty)  // the Encounter lacks its status
        let wrapped = try validate(
            server, #"{"resourceType":"Parameters","parameter":[{"name":"resource","resource":\#(Self.encounter)}]}"#)
        #expect(wrapped.status == 200)
        #expect(wrapped.rules.sorted() == bare.rules.sorted())

        // The same in XML, with a profile parameter base R4 does not hold.
        let xml =
            #"<Parameters xmlns="http://hl7.org/fhir"><parameter><name value="resource"/><resource>"#
            + #"<Encounter><id value="e1"/><class><system value="http://terminology.hl7.org/CodeSystem/v3-ActCode"/>"#
            + #"<code value="IMP"/></class></Encounter></resource></parameter>"#
            + #"<parameter><name value="profile"/><valueUri value="http://example.org/p"/></parameter></Parameters>"#
        let fromXML = try validate(server, xml, type: "application/fhir+xml")
        #expect(fromXML.status == 200)
        #expect(fromXML.rules.sorted() == (bare.rules + ["serve-profile-unknown"]).sorted())
    }
}
