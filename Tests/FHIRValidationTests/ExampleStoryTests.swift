import FHIRCore
import FHIRTestSupport
import FHIRValidation
import Foundation
import Testing

/// The treatment stories in Examples/validation: every valid story (one per indication) yields no
/// error, and every invalid variant yields exactly the findings its one change should cause, in
/// FHIR JSON and in FHIR XML alike.
@Suite struct ExampleStoryTests {
    private static let mr = "Bundle.entry[%d].resource.ofType(MedicationRequest)"
    private static func order(_ entry: Int, _ suffix: String) -> String { String(format: mr, entry) + "." + suffix }
    private static func resource(_ entry: Int, _ type: String, _ suffix: String = "") -> String {
        "Bundle.entry[\(entry)].resource.ofType(\(type))" + (suffix.isEmpty ? "" : "." + suffix)
    }

    /// Example → the findings expected (`severity rule FHIRPath`), reasoned from the one change
    /// each variant makes to its story (see Examples/validation/README.md).
    static let expected: [(String, [String])] = [
        ("valid/cidp-induction-maintenance", []),
        ("valid/mmn-induction", []),
        ("valid/gbs-course", []),
        // 96 kg, 175 cm: BMI 31.3, so the dose-determining weight is reported (not an error).
        ("valid/mg-exacerbation", ["information ivig-dosing-weight " + order(5, "dosageInstruction[0].doseAndRate[0].doseQuantity")]),
        ("valid/kd-single-infusion", []),
        ("valid/itp-acute", []),
        ("valid/pid-replacement", []),
        ("invalid/cidp-course-dose-too-high", ["error ivig-course-dose " + order(5, "dosageInstruction[0].doseAndRate[0].doseQuantity")]),
        ("invalid/cidp-dose-not-matching-weight", ["error ivig-dose-weight " + order(5, "dosageInstruction[0].doseAndRate[1].doseQuantity")]),
        ("invalid/cidp-infusion-other-product", ["error ivig-admin-product " + resource(7, "MedicationAdministration", "medicationReference")]),
        ("invalid/cidp-maintenance-five-days", ["error ivig-course-days " + order(12, "dosageInstruction[0].timing.repeat.count")]),
        ("invalid/cidp-maintenance-too-soon", ["error ivig-course-interval " + order(12, "dosageInstruction[0].timing.repeat.boundsPeriod.start")]),
        ("invalid/cidp-mrc-out-of-scale", ["error ivig-strength-scale " + resource(10, "Observation", "valueInteger")]),
        ("invalid/cidp-product-strength-mismatch", [
            "warning ivig-product-concentration " + order(5, "medicationReference"),
            "warning ivig-product-concentration " + order(12, "medicationReference"),
        ]),
        ("invalid/cidp-reaction-before-infusion", ["error ivig-adverse-event-date " + resource(8, "AdverseEvent", "date")]),
        ("invalid/cidp-reaction-not-linked", ["warning ivig-adverse-event-link " + resource(8, "AdverseEvent")]),
        ("invalid/gbs-second-course", ["warning ivig-course-interval " + order(5, "dosageInstruction[0].timing.repeat.boundsPeriod.start")]),
        ("invalid/itp-daily-dose-too-high", ["error ivig-daily-dose " + order(4, "dosageInstruction[0].doseAndRate[0].doseQuantity")]),
        ("invalid/itp-infusion-after-course", ["error ivig-admin-date " + resource(6, "MedicationAdministration", "effectivePeriod.start")]),
        ("invalid/itp-start-rate-too-high", ["warning ivig-rate-initial " + order(4, "dosageInstruction[0].doseAndRate[0].rateQuantity")]),
        ("invalid/kd-rate-range-above-maximum", ["error ivig-rate-max " + order(4, "dosageInstruction[0].doseAndRate[0].rateRange.high")]),
        ("invalid/kd-weight-out-of-range", ["error ivig-weight-range " + resource(6, "Observation", "valueQuantity")]),
        ("invalid/mg-rate-above-maximum", [
            "error ivig-rate-max " + order(5, "dosageInstruction[0].doseAndRate[0].rateRatio"),
            "information ivig-dosing-weight " + order(5, "dosageInstruction[0].doseAndRate[0].doseQuantity"),
        ]),
        ("invalid/mmn-infusion-dose-too-high", ["error ivig-admin-dose " + resource(5, "MedicationAdministration", "dosage.dose")]),
        ("invalid/pid-infusion-other-patient", ["error ivig-admin-subject " + resource(6, "MedicationAdministration", "subject")]),
        ("invalid/pid-interval-too-short", ["error ivig-course-interval " + order(4, "dosageInstruction[0].timing.repeat.period")]),
        ("context/order-without-context", [
            "information ivig-context-indication MedicationRequest.reasonReference[0]",
            "information ivig-context-weight MedicationRequest.subject",
        ]),
        ("context/infusion-without-order", ["information ivig-context-order MedicationAdministration.request"]),
    ]

    @Test(arguments: expected.map(\.0))
    func jsonExampleHasExactlyItsFindings(name: String) throws {
        let findings = try ValidationHarness.findings(files: ["Examples/validation/json/\(name).json"])
        #expect(ValidationHarness.keys(findings) == Self.findings(for: name).sorted())
        #expect(findings.allSatisfy { $0.location != nil }, "every finding is placed in the file")
    }

    @Test(arguments: expected.map(\.0))
    func xmlExampleHasTheSameFindings(name: String) throws {
        let findings = try ValidationHarness.findings(files: ["Examples/validation/xml/\(name).xml"])
        #expect(ValidationHarness.keys(findings) == Self.findings(for: name).sorted())
        #expect(findings.allSatisfy { $0.location != nil && $0.file?.hasSuffix(".xml") == true })
    }

    @Test(arguments: expected.map(\.0).filter { $0.hasPrefix("valid/") })
    func validStoriesHaveNoErrorOrWarning(name: String) throws {
        let findings = try ValidationHarness.findings(files: ["Examples/validation/json/\(name).json"])
        #expect(!findings.contains { $0.severity <= .warning }, "\(findings)")
    }

    @Test func everyDosingRuleHasAnInvalidExample() {
        let shown = Set(Self.expected.filter { $0.0.hasPrefix("invalid/") }.flatMap(\.1).map { String($0.split(separator: " ")[1]) })
        // Information-only dosing rules (an infusion stopped after a reaction) break nothing.
        let dosing = ValidationRuleCatalog.rules.filter { $0.layer == .dosing && !$0.summary.hasPrefix("Information: an infusion stopped") }.map(\.id)
        // Every dosing rule is broken by at least one invalid variant (ivig-dosing-weight, which is
        // information only, shows in the myasthenia stories).
        #expect(Set(dosing).subtracting(shown).isEmpty)
    }

    @Test func everyIndicationHasAValidStory() {
        let stories = Self.expected.map(\.0).filter { $0.hasPrefix("valid/") }
        for indication in ["cidp", "mmn", "gbs", "mg", "kd", "itp", "pid"] {
            #expect(stories.contains { $0.hasPrefix("valid/\(indication)-") }, "no valid story for \(indication)")
        }
    }

    @Test func theExistingCIDPExampleHasNoError() throws {
        let findings = try ValidationHarness.findings(files: ["Examples/cidp-induction-bundle.json"])
        #expect(!findings.contains { $0.severity.isError }, "\(findings)")
        // Its Medication carries ATC and SNOMED codes but no product code; its text names
        // "Privigen 10%", which identifies the product, and the rate is within Privigen's label.
        #expect(ValidationHarness.keys(findings) == [])
    }

    @Test func theXMLExamplesMatchTheFHIRSchema() throws {
        let xmllint = "/usr/bin/xmllint"
        guard FileManager.default.isExecutableFile(atPath: xmllint), let schema = SharedCorpus.url("fhir-r4/schema/fhir-single.xsd") else {
            print("skipped: xmllint or ../shared/corpus is absent")
            return
        }
        let files = Self.expected.map { SharedCorpus.packageRoot.appendingPathComponent("Examples/validation/xml/\($0.0).xml").path }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: xmllint)
        process.arguments = ["--noout", "--schema", schema.path] + files
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let output = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(output)")
        #expect(output.split(separator: "\n").filter { $0.hasSuffix(" validates") }.count == files.count)
    }

    // MARK: Context across records

    private static func ndjsonLines() throws -> [String] {
        let url = SharedCorpus.packageRoot.appendingPathComponent("Examples/validation/ndjson/pid-replacement.ndjson")
        return try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map(String.init)
    }

    @Test func anNDJSONFileIsOneContext() throws {
        let findings = try ValidationHarness.findings(files: ["Examples/validation/ndjson/pid-replacement.ndjson"])
        #expect(findings.isEmpty, "\(findings)")
    }

    @Test func filesGivenTogetherAreOneContext() throws {
        let lines = try Self.ndjsonLines()
        let files = lines.enumerated().map { (name: "record-\($0.offset).json", text: $0.element) }
        #expect(ValidationHarness.findings(files).isEmpty)
        // The order and its Medication without the patient's weight and Condition: both are
        // reported missing, as information, never silently skipped.
        let order = try #require(lines.first { $0.contains("\"MedicationRequest\"") })
        let medication = try #require(lines.first { $0.contains("\"Medication\"") && !$0.contains("MedicationRequest") })
        let alone = ValidationHarness.findings([(name: "order.json", text: order), (name: "medication.json", text: medication)])
        #expect(ValidationHarness.keys(alone) == [
            "information ivig-context-indication MedicationRequest.reasonReference[0]",
            "information ivig-context-weight MedicationRequest.subject",
        ])
        #expect(alone.allSatisfy { $0.file == "order.json" })
    }

    @Test func findingsInNDJSONNameTheirLine() throws {
        let lines = try Self.ndjsonLines()
        let infusion = try #require(lines.lastIndex { $0.contains("\"MedicationAdministration\"") })
        var changed = lines
        changed[infusion] = changed[infusion].replacingOccurrences(of: #""value":30"#, with: #""value":60"#)
        let sources = [(name: "batch.ndjson", text: changed.joined(separator: "\n"))]
        let findings = ValidationHarness.findings(sources)
        let finding = try #require(findings.first)
        #expect(ValidationHarness.keys(findings) == ["error ivig-admin-dose MedicationAdministration.dosage.dose"])
        #expect(finding.location?.line == infusion + 1)
    }

    private static func findings(for name: String) -> [String] {
        expected.first { $0.0 == name }?.1 ?? []
    }
}
