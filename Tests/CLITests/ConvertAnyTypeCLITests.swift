import FHIRJSON
import FHIRTestSupport
import Foundation
import Testing

/// `convert` of resource types outside the IVIG set (through the element model), on the built
/// binary: a Bundle of a Patient and an Encounter, as a new user would try it.
@Suite struct ConvertAnyTypeCLITests {
    static let bundle = """
        {"resourceType": "Bundle", "type": "collection", "entry": [
          {"fullUrl": "urn:uuid:p1", "resource": {"resourceType": "Patient", "id": "p1", "active": true}},
          {"fullUrl": "urn:uuid:e1", "resource": {"resourceType": "Encounter", "id": "e1", "status": "in-progress",
            "class": {"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "IMP"},
            "subject": {"reference": "urn:uuid:p1"}, "length": {"value": 90.50, "unit": "min"}}}]}
        """

    @Test func aBundleWithAnEncounterConvertsToXMLAndBack() throws {
        let xml = try CLIRunner.run(["convert", "--to", "xml", "-"], input: Array(Self.bundle.utf8))
        #expect(xml.exitCode == 0, "\(xml.standardError)")
        #expect(xml.standardOutput.contains("<Encounter><id value=\"e1\"/><status value=\"in-progress\"/>"))
        #expect(xml.standardOutput.contains("<value value=\"90.50\"/>"))
        let back = try CLIRunner.run(["convert", "--to", "json", "-"], input: xml.outputBytes)
        #expect(back.exitCode == 0, "\(back.standardError)")
        #expect(try JSONTree.parse(back.outputBytes) == JSONTree.parse(Array(Self.bundle.utf8)))
    }

    @Test func aBundleWithAnEncounterSplitsToNDJSONWithBothRecords() throws {
        let result = try CLIRunner.run(["convert", "--to", "ndjson", "-"], input: Array(Self.bundle.utf8))
        #expect(result.exitCode == 0, "\(result.standardError)")
        let lines = result.standardOutput.split(separator: "\n").map(String.init)
        #expect(lines.count == 2)
        #expect(lines.first?.contains(#""resourceType":"Patient""#) == true)
        #expect(lines.last?.hasPrefix(#"{"resourceType":"Encounter","id":"e1","status":"in-progress""#) == true)
        #expect(result.standardError.contains("2 records read, 2 written, 0 rejected"), "\(result.standardError)")

        // The XML form of the same Bundle, streamed entry by entry, gives the same two lines.
        let xml = try CLIRunner.run(["convert", "--to", "xml", "-"], input: Array(Self.bundle.utf8))
        let fromXML = try CLIRunner.run(["convert", "--to", "ndjson", "-"], input: xml.outputBytes)
        #expect(fromXML.exitCode == 0, "\(fromXML.standardError)")
        #expect(fromXML.standardOutput == result.standardOutput)
    }

    @Test func toLocalRejectsTheOtherTypesWithAReason() throws {
        let result = try CLIRunner.run(["convert", "--to", "local", "-"], input: Array(Self.bundle.utf8))
        #expect(result.exitCode != 0)
        #expect(result.standardError.contains("Encounter"), "\(result.standardError)")
        #expect(result.standardError.contains("maps only the IVIG resource types"), "\(result.standardError)")
    }

    @Test func anUnknownElementInAnEncounterIsRefusedWithItsPlace() throws {
        let input = "{\"resourceType\": \"Encounter\", \"status\": \"planned\",\n \"mood\": \"x\"}"
        let result = try CLIRunner.run(["convert", "--to", "xml", "-"], input: Array(input.utf8))
        #expect(result.exitCode != 0)
        #expect(result.standardError.contains("2:2"), "\(result.standardError)")
        #expect(result.standardError.contains("Encounter.mood"), "\(result.standardError)")
    }

    @Test func validateReadsOtherTypesInsteadOfRefusingThem() throws {
        let good = try CLIRunner.run(["validate", "-"], input: Array(#"{"resourceType": "Encounter", "status": "planned", "class": {"code": "AMB"}}"#.utf8))
        #expect(good.exitCode == 0, "\(good.standardOutput) \(good.standardError)")
        #expect(!good.standardOutput.contains("struct-resource-type"))
        let bad = try CLIRunner.run(["validate", "-"], input: Array(#"{"resourceType": "Encounter", "status": "planned", "mood": 1}"#.utf8))
        #expect(bad.exitCode != 0)
        #expect(bad.standardOutput.contains("Encounter.mood"), "\(bad.standardOutput)")
    }
}
