import FHIRValidation
import Foundation
import Testing

/// The weight an order was dosed on, named in its `supportingInformation` (as LocalRecords writes
/// it: a contained body-weight Observation `#weight`), is the weight its doses and rates are
/// checked against, before any other weight of the patient.
@Suite struct StatedWeightTests {
    /// A CIDP induction of 28 g a day for 5 days; the patient's own Observation says 90 kg, and
    /// the order, when `stated` is given, names a contained weight of `stated`.
    private func story(stated: String?) -> String {
        let contained =
            stated.map {
                ##""contained":[{"resourceType":"Observation","id":"weight","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"29463-7"}]},"valueQuantity":{"value":\##($0),"unit":"kg","system":"http://unitsofmeasure.org","code":"kg"}}],"supportingInformation":[{"reference":"#weight"}],"##
            } ?? ""
        return #"""
            {"resourceType":"Bundle","type":"collection","entry":[
            {"fullUrl":"urn:uuid:00000000-0000-4000-8000-000000000001","resource":{"resourceType":"Patient","id":"p","gender":"female"}},
            {"fullUrl":"urn:uuid:00000000-0000-4000-8000-000000000002","resource":{"resourceType":"Observation","id":"w","status":"final",
              "code":{"coding":[{"system":"http://loinc.org","code":"29463-7"}]},"subject":{"reference":"Patient/p"},
              "effectiveDateTime":"2026-08-02T08:00:00+02:00","valueQuantity":{"value":90,"unit":"kg","system":"http://unitsofmeasure.org","code":"kg"}}},
            {"fullUrl":"urn:uuid:00000000-0000-4000-8000-000000000003","resource":{"resourceType":"MedicationRequest","id":"o",\#(contained)"status":"active","intent":"order",
              "medicationCodeableConcept":{"coding":[{"system":"https://ivig-fhir.example.org/CodeSystem/ivig-product","code":"privigen-10"}]},
              "subject":{"reference":"Patient/p"},"authoredOn":"2026-08-03T09:00:00+02:00",
              "reasonCode":[{"coding":[{"system":"http://hl7.org/fhir/sid/icd-10-cm","code":"G61.81"}]}],
              "courseOfTherapyType":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/medicationrequest-course-of-therapy","code":"acute"}]},
              "dosageInstruction":[{"timing":{"repeat":{"count":5,"frequency":1,"period":1,"periodUnit":"d"}},
                "doseAndRate":[{"doseQuantity":{"value":28,"unit":"g","system":"http://unitsofmeasure.org","code":"g"}}]}]}}]}
            """#
    }

    private let dose =
        "Bundle.entry[2].resource.ofType(MedicationRequest).dosageInstruction[0].doseAndRate[0].doseQuantity"

    @Test func theOrdersOwnWeightIsUsed() {
        // 28 g on 70 kg is 0.4 g/kg a day, 2 g/kg over 5 days: the CIDP induction.
        let findings = ValidationHarness.findings(story(stated: "70"))
        #expect(ValidationHarness.keys(findings).isEmpty, "\(findings)")
    }

    @Test func withoutItThePatientsLatestWeightIsUsed() {
        // 28 g on 90 kg is 0.311 g/kg a day: below 0.4, and a 1.556 g/kg course.
        #expect(
            ValidationHarness.keys(ValidationHarness.findings(story(stated: nil)))
                == ["error ivig-course-dose \(dose)", "error ivig-daily-dose \(dose)"])
    }

    @Test func anOrdersOwnWeightOutOfLineWithItsDoseIsNamedInTheMessage() {
        // 28 g on 56 kg is 0.5 g/kg a day (within 0.4–1), but a 2.5 g/kg course (CIDP induction: 2).
        let findings = ValidationHarness.findings(story(stated: "56"))
        #expect(ValidationHarness.keys(findings) == ["error ivig-course-dose \(dose)"])
        #expect(findings.contains { $0.message.contains("(28 g for 56 kg)") }, "\(findings.map(\.message))")
    }
}
