import FHIRValidation
import Foundation
import Testing

/// Dosing rules with the units orders really use: mg/kg, g/kg/d, pounds, mL/h; exact arithmetic.
@Suite struct DosingUnitTests {
    /// An ITP patient of 121 lb (54.88 kg), Privigen, and one order whose dosage is `dosage`.
    private func story(
        dosage: String,
        weight: String = #"{"value":121,"unit":"lb","system":"http://unitsofmeasure.org","code":"[lb_av]"}"#
    ) -> String {
        #"""
        {"resourceType":"Bundle","type":"collection","entry":[
        {"fullUrl":"urn:uuid:00000000-0000-4000-8000-000000000001","resource":{"resourceType":"Patient","id":"p","gender":"female"}},
        {"fullUrl":"urn:uuid:00000000-0000-4000-8000-000000000002","resource":{"resourceType":"Observation","id":"w","status":"final",
          "code":{"coding":[{"system":"http://loinc.org","code":"29463-7"}]},"subject":{"reference":"Patient/p"},
          "effectiveDateTime":"2026-08-02T08:00:00+02:00","valueQuantity":\#(weight)}},
        {"fullUrl":"urn:uuid:00000000-0000-4000-8000-000000000003","resource":{"resourceType":"MedicationRequest","id":"o","status":"active","intent":"order",
          "medicationCodeableConcept":{"coding":[{"system":"https://ivig-fhir.example.org/CodeSystem/ivig-product","code":"privigen-10"}]},
          "subject":{"reference":"Patient/p"},"authoredOn":"2026-08-03T09:00:00+02:00",
          "reasonCode":[{"coding":[{"system":"http://hl7.org/fhir/sid/icd-10-cm","code":"D69.3"}]}],
          "courseOfTherapyType":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/medicationrequest-course-of-therapy","code":"acute"}]},
          "dosageInstruction":[\#(dosage)]}}]}
        """#
    }

    private func keys(_ text: String) -> [String] { ValidationHarness.keys(ValidationHarness.findings(text)) }
    private let dose = "Bundle.entry[2].resource.ofType(MedicationRequest).dosageInstruction[0].doseAndRate[0]"

    @Test func milligramsPerKilogramOverFiveDays() {
        let dosage =
            #"{"timing":{"repeat":{"count":5,"frequency":1,"period":1,"periodUnit":"d"}},"doseAndRate":[{"doseQuantity":{"value":400,"system":"http://unitsofmeasure.org","code":"mg/kg"}}]}"#
        #expect(keys(story(dosage: dosage)).isEmpty)
    }

    @Test func gramsPerKilogramPerDay() {
        let good =
            #"{"timing":{"repeat":{"count":2,"frequency":1,"period":1,"periodUnit":"d"}},"doseAndRate":[{"doseQuantity":{"value":1,"system":"http://unitsofmeasure.org","code":"g/kg/d"}}]}"#
        #expect(keys(story(dosage: good)).isEmpty)
        let high = good.replacingOccurrences(of: #""value":1,"#, with: #""value":1.2,"#)
        #expect(
            keys(story(dosage: high)) == [
                "error ivig-course-dose \(dose).doseQuantity", "error ivig-daily-dose \(dose).doseQuantity",
            ])
    }

    @Test func gramsAreDividedByTheWeightInPounds() {
        // 121 lb = 54.88466 kg exactly (0.45359237 kg/lb): 55 g a day is 1.0021 g/kg, within half a
        // 5 g vial of 1 g/kg; 60 g a day is not.
        let dosage =
            #"{"timing":{"repeat":{"count":2,"frequency":1,"period":1,"periodUnit":"d"}},"doseAndRate":[{"doseQuantity":{"value":55,"system":"http://unitsofmeasure.org","code":"g"}}]}"#
        #expect(keys(story(dosage: dosage)).isEmpty)
        let high = dosage.replacingOccurrences(of: #""value":55,"#, with: #""value":60,"#)
        let findings = ValidationHarness.findings(story(dosage: high))
        #expect(
            ValidationHarness.keys(findings) == [
                "error ivig-course-dose \(dose).doseQuantity", "error ivig-daily-dose \(dose).doseQuantity",
            ])
        #expect(findings.contains { $0.message.hasPrefix("the daily dose 1.093 g/kg/day (60 g for 54.885 kg)") })
    }

    @Test func aRateInMillilitresPerHourUsesTheWeightAndConcentration() {
        // 54.88466 kg × 4 mg/kg/min × 60 / 100 mg/mL = 131.72 mL/h is Privigen's ITP maximum.
        func dosage(_ rate: String) -> String {
            #"{"timing":{"repeat":{"count":2,"frequency":1,"period":1,"periodUnit":"d"}},"doseAndRate":[{"doseQuantity":{"value":1,"system":"http://unitsofmeasure.org","code":"g/kg"},"rateRange":{"low":{"value":15,"system":"http://unitsofmeasure.org","code":"mL/h"},"high":{"value":\#(rate),"system":"http://unitsofmeasure.org","code":"mL/h"}}}]}"#
        }
        #expect(keys(story(dosage: dosage("131.7"))).isEmpty)
        #expect(keys(story(dosage: dosage("131.8"))) == ["error ivig-rate-max \(dose).rateRange.high"])
    }

    @Test func aWeightInTheWrongUnitIsAnErrorAndLeavesTheDoseUnchecked() {
        let dosage =
            #"{"timing":{"repeat":{"count":2,"frequency":1,"period":1,"periodUnit":"d"}},"doseAndRate":[{"doseQuantity":{"value":55,"system":"http://unitsofmeasure.org","code":"g"}}]}"#
        let weight = #"{"value":55,"unit":"cm","system":"http://unitsofmeasure.org","code":"cm"}"#
        #expect(
            keys(story(dosage: dosage, weight: weight)) == [
                "error ivig-weight-range Bundle.entry[1].resource.ofType(Observation).valueQuantity",
                "information ivig-context-weight Bundle.entry[2].resource.ofType(MedicationRequest).subject",
            ])
    }
}
