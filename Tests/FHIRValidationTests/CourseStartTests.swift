import FHIRValidation
import Foundation
import Testing

/// Where a course starts when the order does not say (no `timing.repeat.boundsPeriod.start`):
/// at the order's first infusion in the context, not at `authoredOn` (orders are written days
/// before the first infusion); an infusion before `authoredOn` is still an error.
@Suite struct CourseStartTests {
    /// An ITP patient of 121 lb, a Privigen order of 55 g a day for 2 days written on 2026-08-03
    /// with no boundsPeriod, and one infusion of it per date in `infusions`.
    private func story(infusions: [String]) -> String {
        let administrations = infusions.enumerated().map { index, date in
            #"""
            {"fullUrl":"urn:uuid:00000000-0000-4000-8000-00000000010\#(index)","resource":{"resourceType":"MedicationAdministration","id":"a\#(index)","status":"completed",
              "medicationCodeableConcept":{"coding":[{"system":"https://ivig-fhir.example.org/CodeSystem/ivig-product","code":"privigen-10"}]},
              "subject":{"reference":"Patient/p"},"request":{"reference":"MedicationRequest/o"},
              "effectivePeriod":{"start":"\#(date)T09:00:00+02:00","end":"\#(date)T12:00:00+02:00"},
              "dosage":{"dose":{"value":55,"unit":"g","system":"http://unitsofmeasure.org","code":"g"}}}}
            """#
        }
        return #"""
            {"resourceType":"Bundle","type":"collection","entry":[
            {"fullUrl":"urn:uuid:00000000-0000-4000-8000-000000000001","resource":{"resourceType":"Patient","id":"p","gender":"female"}},
            {"fullUrl":"urn:uuid:00000000-0000-4000-8000-000000000002","resource":{"resourceType":"Observation","id":"w","status":"final",
              "code":{"coding":[{"system":"http://loinc.org","code":"29463-7"}]},"subject":{"reference":"Patient/p"},
              "effectiveDateTime":"2026-08-02T08:00:00+02:00","valueQuantity":{"value":121,"unit":"lb","system":"http://unitsofmeasure.org","code":"[lb_av]"}}},
            {"fullUrl":"urn:uuid:00000000-0000-4000-8000-000000000003","resource":{"resourceType":"MedicationRequest","id":"o","status":"active","intent":"order",
              "medicationCodeableConcept":{"coding":[{"system":"https://ivig-fhir.example.org/CodeSystem/ivig-product","code":"privigen-10"}]},
              "subject":{"reference":"Patient/p"},"authoredOn":"2026-08-03T16:00:00+02:00",
              "reasonCode":[{"coding":[{"system":"http://hl7.org/fhir/sid/icd-10-cm","code":"D69.3"}]}],
              "dosageInstruction":[{"timing":{"repeat":{"count":2,"frequency":1,"period":1,"periodUnit":"d"}},
                "doseAndRate":[{"doseQuantity":{"value":55,"unit":"g","system":"http://unitsofmeasure.org","code":"g"}}]}]}}\#(
                administrations.isEmpty ? "" : ",\n" + administrations.joined(separator: ",\n"))]}
            """#
    }

    private func administration(_ index: Int) -> String {
        "Bundle.entry[\(index + 3)].resource.ofType(MedicationAdministration).effectivePeriod.start"
    }

    @Test func aCourseWithoutBoundsStartsAtItsFirstInfusion() {
        // Written on 08-03, given on 08-06 and 08-07: both days are the 2-day course.
        let findings = ValidationHarness.findings(story(infusions: ["2026-08-06", "2026-08-07"]))
        #expect(ValidationHarness.keys(findings).isEmpty, "\(findings)")
        // The infusions in another order in the input change nothing.
        #expect(
            ValidationHarness.keys(ValidationHarness.findings(story(infusions: ["2026-08-07", "2026-08-06"]))).isEmpty)
    }

    @Test func anInfusionAfterTheCourseCountsFromTheFirstInfusion() {
        let findings = ValidationHarness.findings(story(infusions: ["2026-08-06", "2026-08-07", "2026-08-09"]))
        #expect(ValidationHarness.keys(findings) == ["error ivig-admin-date \(administration(2))"])
        #expect(
            findings.first?.message
                == "the infusion on 2026-08-09T09:00:00+02:00 is after the course of MedicationRequest/o ends (2026-08-07; the order states no boundsPeriod.start, so its course starts at its first infusion, 2026-08-06T09:00:00+02:00)"
        )
    }

    @Test func anInfusionBeforeTheOrderWasWrittenIsAnErrorAndNoAnchor() {
        // 08-01 is before authoredOn (08-03): an error, and the course still starts on 08-06.
        let findings = ValidationHarness.findings(story(infusions: ["2026-08-01", "2026-08-06", "2026-08-07"]))
        #expect(ValidationHarness.keys(findings) == ["error ivig-admin-date \(administration(0))"])
        #expect(
            findings.first?.message
                == "the infusion on 2026-08-01T09:00:00+02:00 is before MedicationRequest/o was written (authoredOn 2026-08-03T16:00:00+02:00)"
        )
    }

    @Test func anInfusionOnTheDayTheOrderIsWrittenAnchorsTheCourse() {
        // The same calendar day counts as on or after authoredOn (ivig-admin-date compares days).
        let findings = ValidationHarness.findings(story(infusions: ["2026-08-03", "2026-08-04", "2026-08-05"]))
        #expect(ValidationHarness.keys(findings) == ["error ivig-admin-date \(administration(2))"])
    }
}
