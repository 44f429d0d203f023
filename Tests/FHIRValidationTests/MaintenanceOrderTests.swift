import FHIRValidation
import Foundation
import Testing

/// A maintenance order: `frequency` infusions every `period` of 7 days or more is one course of
/// `frequency` consecutive infusion days per period (how LocalRecords writes a local order with
/// an `interval`, and the only way standard FHIR Timing can say it).
@Suite struct MaintenanceOrderTests {
    /// A CIDP patient of 70 kg and one continuous (maintenance) Privigen order with `dosage`.
    private func story(dosage: String) -> String {
        #"""
        {"resourceType":"Bundle","type":"collection","entry":[
        {"fullUrl":"urn:uuid:00000000-0000-4000-8000-000000000001","resource":{"resourceType":"Patient","id":"p","gender":"male"}},
        {"fullUrl":"urn:uuid:00000000-0000-4000-8000-000000000002","resource":{"resourceType":"Observation","id":"w","status":"final",
          "code":{"coding":[{"system":"http://loinc.org","code":"29463-7"}]},"subject":{"reference":"Patient/p"},
          "effectiveDateTime":"2026-08-02T08:00:00+02:00","valueQuantity":{"value":70,"unit":"kg","system":"http://unitsofmeasure.org","code":"kg"}}},
        {"fullUrl":"urn:uuid:00000000-0000-4000-8000-000000000003","resource":{"resourceType":"MedicationRequest","id":"o","status":"active","intent":"order",
          "medicationCodeableConcept":{"coding":[{"system":"https://ivig-fhir.example.org/CodeSystem/ivig-product","code":"privigen-10"}]},
          "subject":{"reference":"Patient/p"},"authoredOn":"2026-08-03T09:00:00+02:00",
          "reasonCode":[{"coding":[{"system":"http://hl7.org/fhir/sid/icd-10-cm","code":"G61.81"}]}],
          "courseOfTherapyType":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/medicationrequest-course-of-therapy","code":"continuous"}]},
          "dosageInstruction":[\#(dosage)]}}]}
        """#
    }

    private func dosage(dose: String, frequency: Int, period: Int) -> String {
        #"{"timing":{"repeat":{"frequency":\#(frequency),"period":\#(period),"periodUnit":"wk"}},"doseAndRate":[{"doseQuantity":{"value":\#(dose),"system":"http://unitsofmeasure.org","code":"g/kg"}}]}"#
    }

    private let repeatPath = "Bundle.entry[2].resource.ofType(MedicationRequest).dosageInstruction[0].timing.repeat"
    private let dosePath =
        "Bundle.entry[2].resource.ofType(MedicationRequest).dosageInstruction[0].doseAndRate[0].doseQuantity"

    private func keys(_ text: String) -> [String] { ValidationHarness.keys(ValidationHarness.findings(text)) }

    @Test func oneDayEveryThreeWeeks() {
        #expect(keys(story(dosage: dosage(dose: "1", frequency: 1, period: 3))).isEmpty)
    }

    @Test func twoDaysEveryThreeWeeksIsOneCourseOfTwoDays() {
        // 1 g/kg a day on 2 days: a 2 g/kg course, the CIDP maintenance maximum.
        #expect(keys(story(dosage: dosage(dose: "1", frequency: 2, period: 3))).isEmpty)
        // 1 g/kg a day on 3 days is a 3 g/kg course (0.4–2).
        #expect(
            keys(story(dosage: dosage(dose: "1", frequency: 3, period: 3))) == ["error ivig-course-dose \(dosePath)"])
    }

    @Test func fiveDaysEveryThreeWeeksIsTooLongForMaintenance() {
        // CIDP maintenance lasts 1–4 days; the days are stated by frequency.
        let findings = ValidationHarness.findings(story(dosage: dosage(dose: "0.4", frequency: 5, period: 3)))
        #expect(ValidationHarness.keys(findings) == ["error ivig-course-days \(repeatPath).frequency"])
        #expect(findings.first?.message.hasPrefix("the course lasts 5 days") == true, "\(findings)")
    }

    @Test func theIntervalIsThePeriod() {
        // Every 8 weeks is longer than CIDP maintenance's 14–42 days: a warning at the period.
        #expect(
            keys(story(dosage: dosage(dose: "1", frequency: 1, period: 8))) == [
                "warning ivig-course-interval \(repeatPath).period"
            ])
    }
}
