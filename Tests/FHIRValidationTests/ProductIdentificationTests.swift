import FHIRTestSupport
import FHIRValidation
import Testing

/// Products as real records name them (issue 20, part 1): by NDC, by brand name in the text with
/// ATC J06BA02 and the ingredient strength, and, when the product stays unknown, rates checked
/// against every label maximum the product could have.
@Suite struct ProductIdentificationTests {
    /// A CIDP patient of 70 kg and one infusion of the Medication `code` (its JSON `code` and
    /// optional `ingredient`) at `rate` (a Quantity's JSON).
    private func story(code: String, strength: Bool, rate: String) -> String {
        let ingredient = strength
            ? #","ingredient":[{"itemCodeableConcept":{"text":"IgG"},"strength":{"numerator":{"value":10,"system":"http://unitsofmeasure.org","code":"g"},"denominator":{"value":100,"system":"http://unitsofmeasure.org","code":"mL"}}}]"#
            : ""
        return #"""
        {"resourceType":"Bundle","type":"collection","entry":[
        {"fullUrl":"urn:uuid:00000000-0000-4000-8000-000000000001","resource":{"resourceType":"Patient","id":"p","gender":"female"}},
        {"fullUrl":"urn:uuid:00000000-0000-4000-8000-000000000002","resource":{"resourceType":"Observation","id":"w","status":"final",
          "code":{"coding":[{"system":"http://loinc.org","code":"29463-7"}]},"subject":{"reference":"Patient/p"},
          "effectiveDateTime":"2026-08-02T08:00:00+02:00","valueQuantity":{"value":70,"unit":"kg","system":"http://unitsofmeasure.org","code":"kg"}}},
        {"fullUrl":"urn:uuid:00000000-0000-4000-8000-000000000003","resource":{"resourceType":"Medication","id":"m","code":\#(code)\#(ingredient)}},
        {"fullUrl":"urn:uuid:00000000-0000-4000-8000-000000000004","resource":{"resourceType":"MedicationRequest","id":"o","status":"active","intent":"order",
          "medicationReference":{"reference":"Medication/m"},"subject":{"reference":"Patient/p"},"authoredOn":"2026-08-03T09:00:00+02:00",
          "reasonCode":[{"coding":[{"system":"http://snomed.info/sct","code":"128209004"}]}],
          "dosageInstruction":[{"timing":{"repeat":{"boundsPeriod":{"start":"2026-08-04","end":"2026-08-08"},"count":5,"frequency":1,"period":1,"periodUnit":"d"}},
            "doseAndRate":[{"doseQuantity":{"value":0.4,"system":"http://unitsofmeasure.org","code":"g/kg"}}]}]}},
        {"fullUrl":"urn:uuid:00000000-0000-4000-8000-000000000005","resource":{"resourceType":"MedicationAdministration","id":"a","status":"completed",
          "medicationReference":{"reference":"Medication/m"},"subject":{"reference":"Patient/p"},"request":{"reference":"MedicationRequest/o"},
          "effectivePeriod":{"start":"2026-08-04T09:00:00+02:00","end":"2026-08-04T13:00:00+02:00"},
          "dosage":{"dose":{"value":28,"system":"http://unitsofmeasure.org","code":"g"},"rateQuantity":\#(rate)}}}]}
        """#
    }

    private let atc = #"{"system":"http://www.whocc.no/atc","code":"J06BA02"}"#
    private func mgPerKgPerMin(_ value: String) -> String {
        #"{"value":\#(value),"system":"http://unitsofmeasure.org","code":"mg/kg/min"}"#
    }
    private let ratePath = "Bundle.entry[4].resource.ofType(MedicationAdministration).dosage.rateQuantity"

    private func rateFindings(_ text: String) -> [ValidationFinding] {
        ValidationHarness.findings(text).filter { $0.ruleID.hasPrefix("ivig-rate") || $0.ruleID == "ivig-context-product" }
    }

    @Test func theBrandInTheTextWithATCAndStrengthNamesTheProduct() throws {
        // The issue's user story: more than twice the fastest label rate, named only "Privigen".
        let code = #"{"coding":[\#(atc)],"text":"Privigen 10% solution for infusion"}"#
        let findings = rateFindings(story(code: code, strength: true, rate: mgPerKgPerMin("20")))
        #expect(ValidationHarness.keys(findings) == ["error ivig-rate-max \(ratePath)"])
        #expect(findings.first?.message.contains("above Privigen 10%'s maximum of 8 mg/kg/min") == true, "\(findings)")
    }

    @Test func anNDCPackageCodeNamesTheProduct() throws {
        let code = #"{"coding":[{"system":"http://hl7.org/fhir/sid/ndc","code":"13533-805-31"}]}"#
        let findings = rateFindings(story(code: code, strength: false, rate: mgPerKgPerMin("8.5")))
        #expect(findings.first?.message.contains("Gamunex-C 10%'s maximum of 8 mg/kg/min") == true, "\(findings)")
    }

    @Test func anUnknownProductOfKnownStrengthIsCheckedAgainstEveryLabelOfThatStrength() throws {
        let code = #"{"coding":[\#(atc)],"text":"Immunoglobulin IV"}"#
        // Above every 10% label maximum for CIDP (the fastest is Gammagard Liquid's 9 mg/kg/min).
        let tooFast = rateFindings(story(code: code, strength: true, rate: mgPerKgPerMin("10")))
        #expect(ValidationHarness.keys(tooFast) == ["error ivig-rate-max \(ratePath)"])
        #expect(tooFast.first?.message.contains("the fastest being Gammagard Liquid 10% 5.4 mL/kg/h (9 mg/kg/min)") == true, "\(tooFast)")
        // Above some: a warning naming those that allow it.
        let some = rateFindings(story(code: code, strength: true, rate: mgPerKgPerMin("8.5")))
        #expect(ValidationHarness.keys(some) == ["warning ivig-rate-max \(ratePath)"])
        #expect(some.first?.message.contains("check it is one that allows it: Gammagard Liquid 10%") == true, "\(some)")
        // Within every label: nothing to say.
        #expect(rateFindings(story(code: code, strength: true, rate: mgPerKgPerMin("3"))).isEmpty)
    }

    @Test func neitherProductNorStrengthKnownWarnsAboveTheFastestLabelWithTheAssumption() throws {
        let code = #"{"coding":[\#(atc)]}"#
        let rate = #"{"value":10,"system":"http://unitsofmeasure.org","code":"mL/kg/h"}"#
        let findings = rateFindings(story(code: code, strength: false, rate: rate))
        #expect(ValidationHarness.keys(findings) == ["warning ivig-rate-max \(ratePath)"])
        #expect(findings.first?.message.contains("assumed: the product is one of the product table's") == true, "\(findings)")
        let slow = #"{"value":1,"system":"http://unitsofmeasure.org","code":"mL/kg/h"}"#
        #expect(rateFindings(story(code: code, strength: false, rate: slow)).isEmpty)
    }
}
