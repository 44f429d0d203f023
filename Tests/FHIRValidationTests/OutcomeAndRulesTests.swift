import ExactArithmetic
import FHIRCore
import FHIRJSON
import FHIRValidation
import IVIGProducts
import FHIRValidationIO
import FHIRXML
import FHIRTestSupport
import Foundation
import Testing

/// The OperationOutcome rendering, the source maps, and the rules file loader.
@Suite struct OutcomeAndRulesTests {
    private let finding = ValidationFinding(
        .error, .businessRule, rule: "ivig-rate-max", "the infusion rate is above the maximum",
        at: "MedicationRequest.dosageInstruction[0].doseAndRate[0].rateQuantity",
        location: SourceLocation(line: 57, column: 17, byteOffset: 0), file: "order.json")

    @Test func aFindingIsOneTextLine() {
        #expect(finding.description == "order.json:57:17: error: the infusion rate is above the maximum [ivig-rate-max] (MedicationRequest.dosageInstruction[0].doseAndRate[0].rateQuantity)")
        let bare = ValidationFinding(.information, .informational, rule: "ivig-context-weight", "no weight", at: nil)
        #expect(bare.description == "information: no weight [ivig-context-weight]")
    }

    @Test func anOperationOutcomeCarriesEveryPartOfAFinding() throws {
        let outcome = OperationOutcome(findings: [finding], file: "order.json")
        let issue = try #require(outcome.issue.first)
        #expect(issue.severity?.value == "error" && issue.code?.value == "business-rule")
        #expect(issue.details?.coding.first?.system?.value == OperationOutcome.ruleCodeSystem)
        #expect(issue.details?.coding.first?.code?.value == "ivig-rate-max")
        #expect(issue.details?.text?.value == "the infusion rate is above the maximum")
        #expect(issue.expression.map(\.value) == ["MedicationRequest.dosageInstruction[0].doseAndRate[0].rateQuantity"])
        let values = Dictionary(uniqueKeysWithValues: issue.extension.compactMap { ext -> (String, String)? in
            switch ext.value {
            case .integer(let value)?: return (ext.url ?? "", String(value.value ?? 0))
            case .string(let value)?: return (ext.url ?? "", value.value ?? "")
            default: return nil
            }
        })
        #expect(values[OperationOutcome.issueLineExtension] == "57" && values[OperationOutcome.issueColumnExtension] == "17")
        #expect(values[OperationOutcome.messageIDExtension] == "ivig-rate-max")
        // Written and read back through both codecs, it is unchanged.
        let resource = AnyResource.operationOutcome(outcome)
        #expect(try FHIRJSONDecoder().decode(AnyResource.self, from: FHIRJSONEncoder().encode(resource)) == resource)
        #expect(try FHIRXMLDecoder().decode(AnyResource.self, from: FHIRXMLEncoder().encode(resource)) == resource)
    }

    @Test func noFindingsStillMakeAValidOperationOutcome() throws {
        let outcome = OperationOutcome(findings: [])
        #expect(outcome.issue.count == 1)
        #expect(outcome.issue.first?.severity?.value == "information" && outcome.issue.first?.code?.value == "informational")
        let findings = ValidationHarness.validator.validate(.operationOutcome(outcome))
        #expect(findings.isEmpty, "the outcome itself validates: \(findings)")
    }

    @Test func everyFindingOfAnErrorOutcomeValidatesAsFHIR() throws {
        let findings = try ValidationHarness.findings(files: ["Examples/validation/json/invalid"])
        #expect(findings.count >= 19)
        let outcome = AnyResource.operationOutcome(OperationOutcome(findings: findings, file: "x"))
        #expect(ValidationHarness.validator.validate(outcome).isEmpty)
    }

    @Test func sourceMapsLocateAFHIRPathInJSONAndXML() throws {
        let json = """
            {
              "resourceType": "Bundle",
              "type": "collection",
              "entry": [
                {"resource": {"resourceType": "Patient", "gender": "female"}},
                {"resource": {"resourceType": "Observation", "status": "final",
                  "code": {"text": "x"}, "valueQuantity": {"value": 70}}}
              ]
            }
            """
        let map = try FHIRJSONSourceMap(bytes: Array(json.utf8))
        #expect(map.location(of: "Bundle.entry[1].resource.ofType(Observation).valueQuantity")?.line == 7)
        #expect(map.location(of: "Bundle.entry[0].resource.ofType(Patient).gender")?.column == 46)  // the key "gender"
        // A missing element: the nearest element that is there.
        #expect(map.location(of: "Bundle.entry[0].resource.ofType(Patient).birthDate")?.line == 5)
        #expect(map.location(of: "Patient.gender") == nil, "another root type")
        let resource = try FHIRJSONDecoder().decode(AnyResource.self, from: Array(json.utf8))
        let xml = try FHIRXMLEncoder(pretty: true).encode(resource)
        let xmlMap = try FHIRXMLSourceMap(bytes: xml)
        let lines = String(decoding: xml, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        let line = try #require(xmlMap.location(of: "Bundle.entry[1].resource.ofType(Observation).valueQuantity")?.line)
        #expect(lines[line - 1].contains("<valueQuantity>"))
    }

    @Test func theRulesFileIsReadWithItsProductTable() throws {
        let rules = ValidationHarness.rules
        #expect(Set(rules.indications.map(\.id)) == ["CIDP", "MMN", "GBS", "MG", "KD", "ITP", "PID", "SID", "DM"])
        let kawasaki = try #require(rules.indications.first { $0.id == "KD" })
        #expect(kawasaki.maximumDailyGramsPerKg?.description == "2")
        let privigen = try #require(rules.products.product(code: "privigen-10"))
        #expect(privigen.rates(for: "ITP")?.maximum?.description == "4")
        #expect(privigen.rates(for: "KD")?.indications == ["*"])
        #expect(rules.products.product(system: "http://hl7.org/fhir/sid/ndc", code: "44206-439-40")?.code == "privigen-10")
    }

    @Test func aBrokenRulesFileSaysWhatIsWrong() throws {
        let path = SharedCorpus.packageRoot.appendingPathComponent("Mappings")
        let products = try [UInt8](Data(contentsOf: path.appendingPathComponent("products.json")))
        var text = try String(contentsOf: path.appendingPathComponent("ivig-dosing-rules.json"), encoding: .utf8)
        text = text.replacingOccurrences(of: #""maximumKg": "400""#, with: #""maximumKg": "four hundred""#)
        #expect {
            try DosingRules(rulesJSON: Array(text.utf8), productsJSON: products)
        } throws: { error in
            "\(error)" == "rules: bodyWeight.maximumKg is 'four hundred', not a decimal number"
        }
        #expect {
            try DosingRules(rulesJSON: Array(#"{"productsFile": "p.json"}"#.utf8), productsJSON: products)
        } throws: { error in
            "\(error)".hasPrefix("rules: missing 'ivigMedicationCodes'")
        }
    }
}

/// The README's table of rule ids is the catalog's, so neither can drift from the other.
@Suite struct RuleCatalogDocumentationTests {
    @Test func theReadmeExplainsEveryRuleIdAndNoOther() throws {
        let readme = try String(contentsOf: SharedCorpus.packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let documented = readme.split(separator: "\n").compactMap { line -> String? in
            guard line.hasPrefix("| `") else { return nil }
            let id = line.dropFirst(3).prefix { $0 != "`" }
            // Rows of the rule table: `| `id` | layer | what it checks |`.
            let layers = ["structure", "invariant", "units", "dosing", "context"]
            return layers.contains { line.contains("` | \($0) | ") } ? String(id) : nil
        }
        #expect(documented == ValidationRuleCatalog.rules.map(\.id))
        #expect(Set(ValidationRuleCatalog.rules.map(\.id)).count == ValidationRuleCatalog.rules.count, "rule ids are unique")
    }
}

/// Each layer of validation runs alone.
@Suite struct ValidationLayerTests {
    @Test func eachLayerRunsAlone() throws {
        let json = #"{"resourceType":"MedicationRequest","intent":"order","medicationCodeableConcept":{"coding":[{"system":"https://ivig-fhir.example.org/CodeSystem/ivig-product","code":"privigen-10"}]},"subject":{"reference":"Patient/1"},"dosageInstruction":[{"doseAndRate":[{"doseQuantity":{"value":0.4,"system":"http://unitsofmeasure.org","code":"g/kg"},"rateQuantity":{"value":30,"system":"http://unitsofmeasure.org","code":"mL/hr"}}]}]}"#
        let resource = try FHIRJSONDecoder().decode(AnyResource.self, from: Array(json.utf8))
        func rules(_ layers: Validator.Layers) -> Set<String> {
            Set(Validator(rules: ValidationHarness.rules, layers: layers).validate(resource).map(\.ruleID))
        }
        #expect(rules(.structure) == ["struct-cardinality-min"])  // no status
        #expect(rules(.units) == ["ucum-quantity-human-spelling"])  // mL/hr
        #expect(rules(.dosing) == ["ivig-context-indication", "ivig-context-weight", "ivig-context-dose"])
        #expect(rules(.all) == rules(.structure).union(rules(.units)).union(rules(.dosing)))
        #expect(Set(Validator(rules: nil).validate(resource).map(\.ruleID)) == rules([.structure, .units]))
    }
}
