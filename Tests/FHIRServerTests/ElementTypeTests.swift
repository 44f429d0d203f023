import FHIRTestSupport
import Foundation
import Testing

/// Resource types outside the IVIG set go through the element model, as `convert` and
/// `validate` take them: the server answers what the CLI writes for the same file.
@Suite("serve: every resource type")
struct ElementTypeTests {
    let server: ServerProcess

    init() throws { server = try SharedServer.get() }

    private static let encounter =
        #"{"resourceType":"Encounter","id":"e1","status":"finished","#
        + #""class":{"system":"http://terminology.hl7.org/CodeSystem/v3-ActCode","code":"IMP"}}"#

    /// The CLI's output for `body` saved as a file.
    private func cli(_ arguments: [String], body: String, name: String) throws -> [UInt8] {
        let directory = try SampleRecords.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent(name)
        try body.write(to: file, atomically: true, encoding: .utf8)
        return try Fixtures.cli(arguments + [file.path])
    }

    @Test("$convert of an Encounter (element model) JSON → XML → JSON, as `convert` writes it")
    func convertEncounter() throws {
        let expectedXML = try cli(["convert", "--to", "xml", "--quiet"], body: Self.encounter, name: "e.json")
        #expect(String(decoding: expectedXML, as: UTF8.self).contains("<Encounter xmlns=\"http://hl7.org/fhir\">"))
        let xml = try Curl.request(
            "POST", server.base + "/$convert?_format=xml",
            headers: ["Content-Type": "application/fhir+json"], body: Array(Self.encounter.utf8))
        #expect(xml.status == 200)
        #expect(xml.body == expectedXML)

        let json = try Curl.request(
            "POST", server.base + "/$convert?_format=json",
            headers: ["Content-Type": "application/fhir+xml"], body: xml.body)
        #expect(json.status == 200)
        #expect(json.text == Self.encounter)

        let ndjson = try Curl.request(
            "POST", server.base + "/$convert",
            headers: ["Content-Type": "application/fhir+ndjson"], body: Array((Self.encounter + "\n").utf8))
        #expect(ndjson.status == 200)
        #expect(ndjson.text == Self.encounter + "\n")
    }

    @Test("$validate of an Encounter without its status: the findings `validate` reports")
    func validateEncounter() throws {
        let invalid = Self.encounter.replacingOccurrences(of: #""status":"finished","#, with: "")
        let expected =
            try JSONSerialization.jsonObject(
                with: Data(try cli(["validate", "--format", "json"], body: invalid, name: "e.json"))) as? [String: Any]
        let answer = try Curl.request(
            "POST", server.base + "/Encounter/$validate",
            headers: ["Content-Type": "application/fhir+json"], body: Array(invalid.utf8))
        #expect(answer.status == 200)
        let rules = try ruleIDs(answer.json())
        #expect(!rules.isEmpty)
        #expect(rules == ruleIDs(expected ?? [:]))

        let valid = try Curl.request(
            "POST", server.base + "/$validate",
            headers: ["Content-Type": "application/fhir+json"], body: Array(Self.encounter.utf8))
        #expect(valid.status == 200)
        #expect(!valid.text.contains(#""severity":"error""#))
    }
}
