import ExactArithmetic
import FHIRTestSupport
import FHIRValidation
import IVIGProducts
import Foundation
import Testing

/// products.json keeps each label rate in the label's own unit (Gammagard Liquid: mL/kg/h) and
/// validation converts it exactly with the concentration, so a rate ordered as the label states
/// it is never above the label because of a rounded conversion.
@Suite struct LabelRateUnitTests {
    @Test func gammagardRatesAreTheLabelsMillilitresPerKilogramPerHour() throws {
        let gammagard = try #require(ValidationHarness.rules.products.product(code: "gammagard-liquid-10"))
        let mmn = try #require(gammagard.rates(for: "MMN"))
        #expect(mmn.labelUnit == "mL/kg/h")
        #expect(mmn.labelInitial?.description == "0.5")
        #expect(mmn.labelMaximum?.description == "5.4")
        // 0.5 mL/kg/h × 100 mg/mL = 50 mg/kg/h = 5/6 mg/kg/min; 5.4 mL/kg/h = 9 mg/kg/min.
        #expect(mmn.initial == ExactRational(5).dividing(by: ExactRational(6)))
        #expect(mmn.maximum == ExactRational(9))
        let pid = try #require(gammagard.rates(for: "PID"))
        #expect(pid.maximum == ExactRational(25).dividing(by: ExactRational(3)))  // 5 mL/kg/h
        // Rates without a unit of their own are in the file's rateUnit.
        let privigen = try #require(ValidationHarness.rules.products.product(code: "privigen-10")?.rates(for: "ITP"))
        #expect(privigen.labelUnit == "mg/kg/min")
        #expect(privigen.initial == ExactRational(ExactDecimal("0.5")!))
    }

    /// An MMN patient of 80 kg and a Gammagard Liquid order started at `initial` mL/kg/h.
    private func story(initial: String) -> String {
        #"""
        {"resourceType":"Bundle","type":"collection","entry":[
        {"fullUrl":"urn:uuid:00000000-0000-4000-8000-000000000001","resource":{"resourceType":"Patient","id":"p","gender":"male"}},
        {"fullUrl":"urn:uuid:00000000-0000-4000-8000-000000000002","resource":{"resourceType":"Observation","id":"w","status":"final",
          "code":{"coding":[{"system":"http://loinc.org","code":"29463-7"}]},"subject":{"reference":"Patient/p"},
          "effectiveDateTime":"2026-08-02T08:00:00+02:00","valueQuantity":{"value":80,"unit":"kg","system":"http://unitsofmeasure.org","code":"kg"}}},
        {"fullUrl":"urn:uuid:00000000-0000-4000-8000-000000000003","resource":{"resourceType":"MedicationRequest","id":"o","status":"active","intent":"order",
          "medicationCodeableConcept":{"coding":[{"system":"https://ivig-fhir.example.org/CodeSystem/ivig-product","code":"gammagard-liquid-10"}]},
          "subject":{"reference":"Patient/p"},"authoredOn":"2026-08-03T09:00:00+02:00",
          "reasonCode":[{"coding":[{"system":"http://hl7.org/fhir/sid/icd-10-cm","code":"G61.82"}]}],
          "dosageInstruction":[{"timing":{"repeat":{"count":5,"frequency":1,"period":1,"periodUnit":"d"}},
            "doseAndRate":[{"doseQuantity":{"value":0.4,"system":"http://unitsofmeasure.org","code":"g/kg"},
              "rateRange":{"low":{"value":\#(initial),"system":"http://unitsofmeasure.org","code":"mL/kg/h"},
                           "high":{"value":5.4,"system":"http://unitsofmeasure.org","code":"mL/kg/h"}}}]}]}}]}
        """#
    }

    private let low = "Bundle.entry[2].resource.ofType(MedicationRequest).dosageInstruction[0].doseAndRate[0].rateRange.low"

    @Test func theLabelsOwnRatesAreWithinTheLabel() {
        #expect(ValidationHarness.keys(ValidationHarness.findings(story(initial: "0.5"))).isEmpty)
    }

    @Test func aFasterStartIsNamedInTheLabelsUnit() {
        let findings = ValidationHarness.findings(story(initial: "0.6"))
        #expect(ValidationHarness.keys(findings) == ["warning ivig-rate-initial \(low)"])
        #expect(findings.first?.message.hasPrefix("the starting infusion rate 0.6 mL/kg/h = 1 mg/kg/min is above Gammagard Liquid 10%'s initial rate of 0.5 mL/kg/h (0.833 mg/kg/min) for MMN/CIDP") == true, "\(findings)")
    }

    @Test func aRateUnitThatNeedsTheWeightIsRefused() throws {
        let folder = SharedCorpus.packageRoot.appendingPathComponent("Mappings")
        let rules = try [UInt8](Data(contentsOf: folder.appendingPathComponent("ivig-dosing-rules.json")))
        var products = try String(contentsOf: folder.appendingPathComponent("products.json"), encoding: .utf8)
        products = products.replacingOccurrences(of: #""maximum": "5.4", "unit": "mL/kg/h""#, with: #""maximum": "5.4", "unit": "mL/h""#)
        #expect {
            try DosingRules(rulesJSON: rules, productsJSON: Array(products.utf8))
        } throws: { error in
            "\(error)".hasPrefix("products: gammagard-liquid-10.rates[1]: unit is 'mL/h', not a UCUM mass or volume per kg per time")
        }
    }
}
