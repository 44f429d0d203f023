import FHIRTestSupport
import FHIRValidation
import FHIRValidationIO
import Foundation
import Testing

/// Every in-scope official R4 example in ../shared/corpus/fhir-r4 (json/, xml/, published-json/,
/// fhir-test-cases/) is validated. None may get a structural error (structure layer or FHIR
/// invariant) except the few below, each of which is really in the example.
@Suite struct CorpusValidationTests {
    static let folders = ["json", "xml", "published-json", "fhir-test-cases/json", "fhir-test-cases/xml"]

    /// The structural errors the official examples really have (`file rule FHIRPath`).
    static let realStructuralErrors: Set<String> = [
        // R4 MedicationRequest.dispenseRequest.performer is Reference(Organization); the example
        // names Practitioner/f001 (the fhir_models copy in json/ has no dispenseRequest.performer).
        "published-json/MedicationRequest-medrx0301.json struct-reference-target MedicationRequest.dispenseRequest.performer.reference",
        "fhir-test-cases/json/medicationrequest0301.json struct-reference-target MedicationRequest.dispenseRequest.performer.reference",
        // Observation.performer does not allow Encounter; the published example has Encounter/example
        // (fhir_models changed it to Organization/example, see SOURCES.md).
        "published-json/Observation-clinical-gender.json struct-reference-target Observation.performer[0].reference",
    ]

    private static func reports(_ folder: String) throws -> [(file: String, findings: [ValidationFinding])]? {
        guard let url = SharedCorpus.url("fhir-r4/" + folder), FileManager.default.fileExists(atPath: url.path) else { return nil }
        return try ValidationHarness.reports([url.path])
    }

    private static func relative(_ file: String) -> String {
        guard let range = file.range(of: "fhir-r4/") else { return file }
        return String(file[range.upperBound...])
    }

    @Test func officialExamplesHaveOnlyTheirRealStructuralErrors() throws {
        var structural: Set<String> = []
        var perRule: [String: Int] = [:]
        var files = 0
        for folder in Self.folders {
            guard let reports = try Self.reports(folder) else {
                print(SharedCorpus.absentMessage)
                return
            }
            files += reports.count
            for report in reports {
                #expect(!report.findings.contains { $0.severity == .fatal || $0.message.contains("not checked further") },
                        "\(report.file) could not be read: \(report.findings)")
                for finding in report.findings {
                    perRule["\(finding.severity.rawValue) \(finding.ruleID)", default: 0] += 1
                    #expect(ValidationRuleCatalog.rule(finding.ruleID) != nil, "unknown rule id \(finding.ruleID)")
                    let layer = ValidationRuleCatalog.rule(finding.ruleID)?.layer
                    if finding.severity.isError, layer == .structure || layer == .invariant {
                        structural.insert("\(Self.relative(report.file)) \(finding.ruleID) \(finding.fhirPath ?? "-")")
                    }
                }
            }
        }
        #expect(files == 178 + 178 + 182 + 6 + 6)
        #expect(structural == Self.realStructuralErrors)
        print("official examples: \(files) files; findings by rule:")
        for (rule, count) in perRule.sorted(by: { $0.key < $1.key }) { print("  \(rule): \(count)") }
    }

    @Test func jsonAndXMLOfTheSameExampleGiveTheSameFindings() throws {
        guard let json = try Self.reports("json"), let xml = try Self.reports("xml") else {
            print(SharedCorpus.absentMessage)
            return
        }
        func byName(_ reports: [(file: String, findings: [ValidationFinding])]) -> [String: [String]] {
            Dictionary(uniqueKeysWithValues: reports.map { report in
                (((report.file as NSString).lastPathComponent as NSString).deletingPathExtension, ValidationHarness.keys(report.findings))
            })
        }
        let jsonFindings = byName(json), xmlFindings = byName(xml)
        #expect(jsonFindings.count == 178 && Set(jsonFindings.keys) == Set(xmlFindings.keys))
        for (name, findings) in jsonFindings {
            #expect(findings == xmlFindings[name], "\(name)")
        }
    }
}
