import FHIRTestSupport
import Foundation
import Testing

/// Validation from the definitions through the built binary: `dom-3` on contained resources,
/// best-practice invariants (`dom-6`), `convert --validate` running what `validate` runs, and
/// the entries of a Bundle too large to be validated whole.
@Suite struct DefinitionChecksCLITests {
    /// Writes `text` to a temporary file named `name` and returns its path.
    func file(_ name: String, _ text: String) throws -> String {
        try SampleRecords.temporaryFile(name, text)
    }

    static let narrative =
        #""text":{"status":"generated","div":"<div xmlns=\"http://www.w3.org/1999/xhtml\">An order</div>"}"#

    /// A MedicationRequest with a contained Medication, referred to from the order or not.
    static func order(referringToMedication: Bool) -> String {
        let medication =
            referringToMedication
            ? ##""medicationReference":{"reference":"#med1"}"## : #""medicationCodeableConcept":{"text":"IVIG"}"#
        return #"{"resourceType":"MedicationRequest","id":"mr1",\#(narrative),"#
            + #""contained":[{"resourceType":"Medication","id":"med1","code":{"text":"Privigen"}}],"#
            + #""status":"active","intent":"order",\#(medication),"subject":{"reference":"Patient/p1"}}"#
    }

    @Test func aContainedResourceNothingRefersToBreaksDom3OnItsContainer() throws {
        let unreferenced = try file("order.json", Self.order(referringToMedication: false))
        let result = try CLIRunner.run(["validate", unreferenced])
        #expect(result.exitCode == 2, "\(result.standardError)")
        let lines = result.standardOutput.split(separator: "\n")
        #expect(lines.count == 1, "\(result.standardOutput)")
        #expect(
            lines.first?.hasPrefix("\(unreferenced):1:1: error: dom-3: If the resource is contained") == true
                && lines.first?.hasSuffix("[dom-3] (MedicationRequest)") == true, "\(result.standardOutput)")

        let referenced = try CLIRunner.run([
            "validate", try file("order.json", Self.order(referringToMedication: true)),
        ])
        #expect(referenced.exitCode == 0)
        // The contained Medication has no narrative, and needs none: no dom-6 either (what is left
        // is the dosing layer's information that the order names no indication).
        #expect(!referenced.standardOutput.contains("[dom-"), "\(referenced.standardOutput)")
    }

    @Test func dom3IsFoundInXMLToo() throws {
        let xml = """
            <MedicationRequest xmlns="http://hl7.org/fhir">
              <id value="mr1"/>
              <text><status value="generated"/><div xmlns="http://www.w3.org/1999/xhtml">An order</div></text>
              <contained><Medication><id value="med1"/><code><text value="Privigen"/></code></Medication></contained>
              <status value="active"/>
              <intent value="order"/>
              <medicationCodeableConcept><text value="IVIG"/></medicationCodeableConcept>
              <subject><reference value="Patient/p1"/></subject>
            </MedicationRequest>
            """
        let result = try CLIRunner.run(["validate", "--format", "csv", try file("order.xml", xml)])
        #expect(result.exitCode == 2)
        let rows = result.standardOutput.split(whereSeparator: \.isNewline).dropFirst().map { $0.split(separator: ",") }
        #expect(
            rows.map { "\($0[3]) \($0[4]) \($0[5])" } == ["error dom-3 MedicationRequest"], "\(result.standardOutput)")
    }

    /// `%rootResource` of an entry's resource is that resource, not the Bundle: its local
    /// references resolve in its own `contained` (ref-1), and dom-3 finds them.
    @Test func localReferencesInsideABundleEntryResolveInTheEntrysResource() throws {
        let bundle =
            #"{"resourceType":"Bundle","type":"collection","entry":["#
            + #"{"fullUrl":"urn:uuid:9d1c2a4e-0b7f-4c1e-8a57-3e2f4b6c8d01","resource":"#
            + Self.order(referringToMedication: true) + "}]}"
        let result = try CLIRunner.run(["validate", "--format", "csv", try file("bundle.json", bundle)])
        #expect(result.exitCode == 0, "\(result.standardOutput)")
        #expect(!result.standardOutput.contains(",ref-1,") && !result.standardOutput.contains(",dom-3,"))
        let dangling = bundle.replacingOccurrences(of: "\"#med1\"", with: "\"#med2\"")
        let broken = try CLIRunner.run(["validate", "--format", "csv", try file("bundle.json", dangling)])
        #expect(broken.exitCode == 2)
        let rows = broken.standardOutput.split(whereSeparator: \.isNewline).dropFirst().map { $0.split(separator: ",") }
        #expect(
            Set(rows.filter { $0[3] == "error" }.map { "\($0[4]) \($0[5])" }) == [
                "ref-1 Bundle.entry[0].resource.ofType(MedicationRequest).medication.ofType(Reference)",
                "dom-3 Bundle.entry[0].resource.ofType(MedicationRequest)",
            ], "\(broken.standardOutput)")
    }

    @Test func aResourceWithoutNarrativeGetsABestPracticeWarningUnlessTold() throws {
        let patient = try file("patient.json", #"{"resourceType":"Patient","id":"p1","gender":"female"}"#)
        let warned = try CLIRunner.run(["validate", patient])
        #expect(warned.exitCode == 0)
        #expect(
            warned.standardOutput
                == "\(patient):1:1: warning: dom-6: A resource should have narrative for robust management [dom-6] "
                + "(Patient)\n")
        let ignored = try CLIRunner.run(["validate", "--best-practice", "ignore", patient])
        #expect(ignored.exitCode == 0 && ignored.standardOutput.isEmpty, "\(ignored.standardOutput)")
        let strict = try CLIRunner.run(["validate", "--best-practice", "error", patient])
        #expect(strict.exitCode == 2 && strict.standardOutput.contains("error: dom-6:"), "\(strict.standardOutput)")
    }

    @Test func convertValidateRunsTheDefinitionsChecks() throws {
        let practitioner =
            #"{"resourceType":"Practitioner","id":"x",\#(Self.narrative),"gender":"robot"}"#
        let input = try file(
            "records.ndjson",
            [Self.order(referringToMedication: false), Self.order(referringToMedication: true), practitioner]
                .joined(separator: "\n") + "\n")
        let rejects = input + ".rejects.ndjson"
        let result = try CLIRunner.run(["convert", "--validate", "--to", "ndjson", "--rejects", rejects, input])
        #expect(result.exitCode == 1, "\(result.standardError)")
        // The order whose contained Medication nothing refers to (dom-3, an invariant of the
        // definitions) and the Practitioner, a type outside the IVIG set (a required binding) go.
        #expect(result.standardOutput.split(separator: "\n").count == 1)
        #expect(result.standardOutput.contains(##""medicationReference":{"reference":"#med1"}"##))
        let rejected = try String(contentsOfFile: rejects, encoding: .utf8)
        #expect(rejected.contains("[dom-3]") && rejected.contains("[struct-binding]"), "\(rejected)")
        #expect(result.standardError.contains("summary: 1 input, 3 records read, 1 written, 2 rejected"))
    }

    /// Local records are checked as the FHIR resources they map to: the committed examples pass
    /// (their orders' contained weights are effective when ordered, as bodyweight asks), with
    /// dom-6 warnings (a mapped record has no narrative).
    @Test func localRecordsAreValidatedFromTheDefinitionsAsTheResourcesTheyMapTo() throws {
        let examples = ["cidp-induction-maintenance", "gbs", "kawasaki-infant", "mmn-first-course"].map {
            "Examples/local/\($0).ndjson"
        }
        let result = try CLIRunner.run(["convert", "--from", "local", "--validate", "--to", "ndjson"] + examples)
        #expect(result.exitCode == 0, "\(result.standardError)")
        #expect(result.standardError.contains("0 rejected"))
        #expect(result.standardError.contains("warning: dom-6:"))
        #expect(!result.standardError.contains(": error: "), "\(result.standardError)")
    }

    @Test func convertTakesPackagesAndProfilesOnlyWithValidate() throws {
        let input = try file("order.json", Self.order(referringToMedication: true))
        let result = try CLIRunner.run(["convert", "--profile", "http://example.org/p", input])
        #expect(result.exitCode == 64)
        #expect(result.standardError.contains("--package and --profile need --validate"))
    }

    /// A collection Bundle over the record size limit is validated entry by entry; each entry
    /// still gets every check from the definitions, at its place in the input.
    @Test(arguments: ["json", "xml"])
    func theEntriesOfABundleTooLargeToCheckWholeAreCheckedFromTheDefinitions(format: String) throws {
        var entries: [String] = []
        for index in 0..<30 {
            var patient =
                #"{"resourceType":"Patient","id":"p\#(index)","#
                + #""text":{"status":"generated","div":"<div xmlns=\"http://www.w3.org/1999/xhtml\">"#
                + String(repeating: "Patient \(index). ", count: 120) + #"</div>"},"gender":"female""#
            if index == 23 { patient += #","contact":[{"gender":"female"}]"# }
            if index == 27 { patient += #","contained":[{"resourceType":"Organization","id":"o1","name":"Clinic"}]"# }
            entries.append(
                #"{"fullUrl":"urn:uuid:00000000-0000-0000-0000-\#(index + 100_000_000_000)","resource":"#
                    + patient + "}}")
        }
        let json =
            #"{"resourceType":"Bundle","type":"collection","entry":[\#n"#
            + entries.joined(separator: ",\n") + "\n]}\n"
        var path = try file("bundle.json", json)
        if format == "xml" {
            let converted = try CLIRunner.run(["convert", "--to", "xml", "--pretty", path])
            #expect(converted.exitCode == 0, "\(converted.standardError)")
            path = try file("bundle.xml", converted.standardOutput)
        }
        let whole = try CLIRunner.run(["validate", "--format", "csv", path])
        let streamed = try CLIRunner.run(["validate", "--format", "csv", "--max-record-bytes", "16384", path])
        #expect(whole.exitCode == 2 && streamed.exitCode == 2, "\(streamed.standardError)")
        func keys(_ output: String) -> [String] {
            // CSV rows end in CRLF, one Character in Swift.
            output.split(whereSeparator: \.isNewline).dropFirst().map { row in
                let fields = row.split(separator: ",")
                return "\(fields[3]) \(fields[4]) \(fields[5])"
            }
        }
        let expected = [
            "error pat-1 Bundle.entry[23].resource.ofType(Patient).contact[0]",
            "error dom-3 Bundle.entry[27].resource.ofType(Patient)",
        ]
        #expect(keys(whole.standardOutput) == expected, "\(whole.standardOutput)")
        #expect(
            keys(streamed.standardOutput) == ["information bundle-streamed Bundle"] + expected,
            "\(streamed.standardOutput)")
        if format == "json" {
            // At the entry's own line: the contact's in JSON.
            let lines = json.split(separator: "\n", omittingEmptySubsequences: false)
            let row = try #require(
                streamed.standardOutput.split(whereSeparator: \.isNewline).first { $0.contains(",pat-1,") })
            let line = try #require(Int(row.split(separator: ",")[1]))
            #expect(lines[line - 1].contains(#""id":"p23""#))
        }
    }
}
