import FHIRValidation
import Testing

/// A course written as its infusion days one by one (`timing.event`, no `repeat`), as some
/// hospitals order: the course runs from the first listed day to the last.
@Suite struct TimingEventTests {
    /// A CIDP patient of 70 kg, an induction order of 0.4 g/kg on the `events` days, and an
    /// infusion of 28 g on `infused`.
    private func story(events: [String], infused: String) -> String {
        let list = events.map { "\"\($0)\"" }.joined(separator: ",")
        return #"""
        {"resourceType":"Bundle","type":"collection","entry":[
        {"fullUrl":"urn:uuid:00000000-0000-4000-8000-000000000001","resource":{"resourceType":"Patient","id":"p","gender":"male"}},
        {"fullUrl":"urn:uuid:00000000-0000-4000-8000-000000000002","resource":{"resourceType":"Observation","id":"w","status":"final",
          "code":{"coding":[{"system":"http://loinc.org","code":"29463-7"}]},"subject":{"reference":"Patient/p"},
          "effectiveDateTime":"2026-08-02T08:00:00+02:00","valueQuantity":{"value":70,"unit":"kg","system":"http://unitsofmeasure.org","code":"kg"}}},
        {"fullUrl":"urn:uuid:00000000-0000-4000-8000-000000000003","resource":{"resourceType":"MedicationRequest","id":"o","status":"active","intent":"order",
          "medicationCodeableConcept":{"coding":[{"system":"https://ivig-fhir.example.org/CodeSystem/ivig-product","code":"privigen-10"}]},
          "subject":{"reference":"Patient/p"},"authoredOn":"2026-08-03T09:00:00+02:00",
          "reasonCode":[{"coding":[{"system":"http://hl7.org/fhir/sid/icd-10-cm","code":"G61.81"}]}],
          "courseOfTherapyType":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/medicationrequest-course-of-therapy","code":"acute"}]},
          "dosageInstruction":[{"timing":{"event":[\#(list)]},
            "doseAndRate":[{"doseQuantity":{"value":0.4,"system":"http://unitsofmeasure.org","code":"g/kg"}}]}]}},
        {"fullUrl":"urn:uuid:00000000-0000-4000-8000-000000000004","resource":{"resourceType":"MedicationAdministration","id":"a","status":"completed",
          "medicationCodeableConcept":{"coding":[{"system":"https://ivig-fhir.example.org/CodeSystem/ivig-product","code":"privigen-10"}]},
          "subject":{"reference":"Patient/p"},"request":{"reference":"MedicationRequest/o"},"effectiveDateTime":"\#(infused)",
          "dosage":{"dose":{"value":28,"system":"http://unitsofmeasure.org","code":"g"}}}}]}
        """#
    }

    private let days = ["2026-08-04", "2026-08-05", "2026-08-06", "2026-08-07", "2026-08-08"]

    @Test func fiveListedDaysAreAFiveDayCourse() {
        let findings = ValidationHarness.findings(story(events: days, infused: "2026-08-08T09:00:00+02:00"))
        #expect(!findings.contains { $0.severity <= .warning }, "\(findings)")
    }

    @Test func anInfusionAfterTheLastListedDayIsOutsideTheCourse() {
        let findings = ValidationHarness.findings(story(events: days, infused: "2026-08-12T09:00:00+02:00"))
        #expect(ValidationHarness.keys(findings).contains {
            $0.hasPrefix("error ivig-admin-date Bundle.entry[3].resource.ofType(MedicationAdministration).effectiveDateTime")
        }, "\(findings)")
    }

    @Test func sixListedDaysAreTooLongACourse() {
        let findings = ValidationHarness.findings(story(events: days + ["2026-08-09"], infused: "2026-08-04T09:00:00+02:00"))
        #expect(ValidationHarness.keys(findings).contains { $0.hasPrefix("error ivig-course-days") }, "\(findings)")
    }
}
