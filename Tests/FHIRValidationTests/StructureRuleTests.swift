import FHIRCore
import FHIRValidation
import Testing

/// The structure layer on hand-written bad input: each case breaks one rule, and the finding
/// must name that rule and the element at fault.
@Suite struct StructureRuleTests {
    private func keys(_ text: String, name: String = "input.json") -> [String] {
        ValidationHarness.keys(ValidationHarness.findings(text, name: name))
    }

    /// The keys `validate` gives, with validation from the definitions, which evaluates the
    /// invariants (by their FHIRPath expressions; there is no hand-written invariant code).
    private func definitionKeys(_ text: String) -> [String] {
        ValidationHarness.keys(ValidationHarness.findings(text, step: ValidationHarness.fromDefinitions))
    }

    private static let weight =
        #""valueQuantity":{"value":70,"unit":"kg","system":"http://unitsofmeasure.org","code":"kg"}"#

    @Test func missingStatusIsACardinalityError() throws {
        let text = """
            {
              "resourceType": "Observation",
              "code": {"text": "Body weight"},
              \(Self.weight)
            }
            """
        let findings = ValidationHarness.findings(text)
        #expect(ValidationHarness.keys(findings) == ["error struct-cardinality-min Observation.status"])
        let finding = try #require(findings.first)
        #expect(finding.type == .required)
        // The element is absent, so the finding points at the resource that lacks it.
        #expect(finding.location?.line == 1 && finding.location?.column == 1)
        #expect(finding.description.hasPrefix("input.json:1:1: error: Observation.status is required (1..1)"))
        #expect(finding.description.hasSuffix("[struct-cardinality-min] (Observation.status)"))
    }

    @Test func missingRequiredElementsOfABackboneElement() {
        // AdverseEvent.suspectEntity.instance is 1..1 inside an optional backbone element.
        let text =
            #"{"resourceType":"AdverseEvent","actuality":"actual","subject":{"reference":"Patient/1"},"suspectEntity":[{"causality":[{"productRelatedness":"likely"}]}]}"#
        #expect(
            keys(text) == [
                "error struct-cardinality-min AdverseEvent.suspectEntity[0].instance",
                "information ivig-context-administration AdverseEvent.suspectEntity",
            ])
    }

    @Test func twoTypesOfValueXAreOneError() throws {
        let text =
            #"{"resourceType":"Observation","status":"final","code":{"text":"x"},"valueString":"a",\#(Self.weight)}"#
        let findings = ValidationHarness.findings(text)
        let finding = try #require(findings.first)
        #expect(findings.count == 1)
        #expect(finding.ruleID == "struct-choice-multiple" && finding.severity == .error)
        #expect(finding.fhirPath?.hasPrefix("Observation.value") == true)
        #expect(finding.message.contains("valueString") && finding.message.contains("valueQuantity"))
    }

    @Test(arguments: [
        (
            #"{"resourceType":"MedicationRequest","status":"finished","intent":"order","medicationCodeableConcept":{"text":"x"},"subject":{"reference":"Patient/1"}}"#,
            ["error struct-binding MedicationRequest.status"]
        ),
        (
            #"{"resourceType":"MedicationRequest","status":"active","intent":"prescription","medicationCodeableConcept":{"text":"x"},"subject":{"reference":"Patient/1"}}"#,
            ["error struct-binding MedicationRequest.intent"]
        ),
        (
            #"{"resourceType":"AdverseEvent","actuality":"likely","subject":{"reference":"Patient/1"}}"#,
            [
                "error struct-binding AdverseEvent.actuality",
                // an actual adverse event is also checked against infusions; there are none here
                "information ivig-context-administration AdverseEvent",
            ]
        ),
        (
            #"{"resourceType":"AdverseEvent","actuality":"potential","subject":{"reference":"Patient/1"},"severity":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/adverse-event-severity","code":"fatal"}]}}"#,
            ["error struct-binding AdverseEvent.severity"]
        ),
        (
            #"{"resourceType":"Observation","status":"done","code":{"text":"x"}}"#,
            ["error struct-binding Observation.status"]
        ),
    ])
    func codeOutsideARequiredValueSet(text: String, expected: [String]) {
        #expect(keys(text) == expected)
    }

    @Test func theBindingMessageListsTheAllowedCodes() throws {
        let text = #"{"resourceType":"Observation","status":"done","code":{"text":"x"}}"#
        let finding = try #require(ValidationHarness.findings(text).first)
        #expect(
            finding.message
                == "'done' is not in the required value set observation-status (one of: amended, cancelled, corrected, entered-in-error, final, preliminary, registered, unknown)"
        )
    }

    @Test(arguments: [
        "Patient 123", "Patient/", "patient/123", "Patient/12$3", "Foo/1", "urn:uuid:ABC", "urn:oid:3.1", "/Patient/1",
        "Patient/1/2", "urn:uuid:5D9C1F0E-7A61-4C57-9D2B-0C1B7D1E4A01", "urn:uuid:5d9c1f0e7-a61-4c57-9d2b-0c1b7d1e4a01",
        "urn:uuid:5d9c1f0e-7a61-4c57-9d2b-0c1b7d1e4a0", "urn:uuid:5d9c1f0e-7a61-4c57-9d2b-0c1b7d1e4a01a",
    ])
    func malformedReference(reference: String) throws {
        let text =
            #"{"resourceType":"Observation","status":"final","code":{"text":"x"},"subject":{"reference":"\#(reference)"}}"#
        let findings = ValidationHarness.findings(text)
        #expect(ValidationHarness.keys(findings) == ["error struct-reference Observation.subject.reference"])
        #expect(try #require(findings.first).message.hasPrefix("malformed reference '\(reference)'"))
    }

    @Test(arguments: [
        "Patient/123", "Patient/123/_history/2", "https://hospital.example.org/fhir/Patient/123",
        "urn:uuid:5d9c1f0e-7a61-4c57-9d2b-0c1b7d1e4a01", "urn:oid:1.2.840.113619",
    ])
    func wellFormedReference(reference: String) {
        let text =
            #"{"resourceType":"Observation","status":"final","code":{"text":"x"},"subject":{"reference":"\#(reference)"}}"#
        #expect(keys(text).isEmpty)
    }

    @Test func referenceToATypeTheElementDoesNotAllow() {
        let text =
            #"{"resourceType":"Observation","status":"final","code":{"text":"x"},"subject":{"reference":"Medication/7"}}"#
        #expect(keys(text) == ["error struct-reference-target Observation.subject.reference"])
    }

    @Test func containedResourcesAndLocalReferences() {
        let referenced =
            ##"{"resourceType":"MedicationRequest","contained":[{"resourceType":"Medication","id":"m1","code":{"text":"x"}}],"status":"active","intent":"order","medicationReference":{"reference":"#m1"},"subject":{"reference":"Patient/1"}}"##
        #expect(definitionKeys(referenced).isEmpty)
        // dom-3 is a constraint of DomainResource: it is reported on the container.
        let unreferenced =
            #"{"resourceType":"MedicationRequest","contained":[{"resourceType":"Medication","id":"m1","code":{"text":"x"}}],"status":"active","intent":"order","medicationCodeableConcept":{"text":"x"},"subject":{"reference":"Patient/1"}}"#
        #expect(definitionKeys(unreferenced) == ["error dom-3 MedicationRequest"])
        let dangling =
            ##"{"resourceType":"MedicationRequest","status":"active","intent":"order","medicationReference":{"reference":"#m2"},"subject":{"reference":"Patient/1"}}"##
        #expect(
            definitionKeys(dangling) == [
                "error ref-1 MedicationRequest.medication.ofType(Reference)",
                "information ivig-context-medication MedicationRequest.medicationReference",
            ])
        // The contained Medication holds a Substance nothing refers to: dom-3 on the Medication.
        let nested =
            ##"{"resourceType":"MedicationRequest","contained":[{"resourceType":"Medication","id":"m1","meta":{"versionId":"2"},"contained":[{"resourceType":"Substance","id":"s","code":{"text":"x"}}]}],"status":"active","intent":"order","medicationReference":{"reference":"#m1"},"subject":{"reference":"Patient/1"}}"##
        #expect(
            definitionKeys(nested) == [
                "error dom-2 MedicationRequest", "error dom-3 MedicationRequest.contained[0].ofType(Medication)",
                "error dom-4 MedicationRequest",
            ])
    }

    @Test(arguments: [
        (
            #"{"resourceType":"Observation","status":"final","code":{"text":"x"},"dataAbsentReason":{"text":"lost"},"valueString":"a"}"#,
            ["error obs-6 Observation"]
        ),
        (
            #"{"resourceType":"Observation","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"2339-0"}]},"valueString":"a","component":[{"code":{"coding":[{"system":"http://loinc.org","code":"2339-0"}]},"valueString":"b"}]}"#,
            ["error obs-7 Observation"]
        ),
        (
            #"{"resourceType":"Observation","status":"final","code":{"text":"x"},"referenceRange":[{"appliesTo":[{"text":"adults"}]}]}"#,
            ["error obs-3 Observation.referenceRange[0]"]
        ),
        (
            #"{"resourceType":"Observation","status":"final","code":{"text":"x"},"valueQuantity":{"value":70,"code":"kg"}}"#,
            ["error qty-3 Observation.value.ofType(Quantity)"]
        ),
        (
            #"{"resourceType":"Observation","status":"final","code":{"text":"x"},"effectivePeriod":{"start":"2026-03-02T10:00:00Z","end":"2026-03-01"}}"#,
            ["error per-1 Observation.effective.ofType(Period)"]
        ),
        (
            #"{"resourceType":"Observation","status":"final","code":{"text":"x"},"valueRange":{"low":{"value":2,"system":"http://unitsofmeasure.org","code":"g"},"high":{"value":1500,"system":"http://unitsofmeasure.org","code":"mg"}}}"#,
            ["error rng-2 Observation.value.ofType(Range)"]
        ),
        (
            #"{"resourceType":"Observation","status":"final","code":{"text":"x"},"valueRatio":{"numerator":{"value":1}}}"#,
            ["error rat-1 Observation.value.ofType(Ratio)"]
        ),
        (
            #"{"resourceType":"Observation","status":"final","code":{"text":"x"},"extension":[{"url":"http://example.org/x"}]}"#,
            ["error ext-1 Observation.extension[0]", "warning ext-unknown Observation.extension[0]"]
        ),
        (
            #"{"resourceType":"MedicationAdministration","status":"completed","medicationCodeableConcept":{"text":"x"},"subject":{"reference":"Patient/1"},"effectiveDateTime":"2026-03-02","dosage":{"text":"slowly"}}"#,
            ["error mad-1 MedicationAdministration.dosage"]
        ),
        (
            #"{"resourceType":"MedicationRequest","status":"active","intent":"order","medicationCodeableConcept":{"text":"x"},"subject":{"reference":"Patient/1"},"dosageInstruction":[{"timing":{"repeat":{"duration":2,"period":1,"countMax":3}}}]}"#,
            [
                "error tim-1 MedicationRequest.dosageInstruction[0].timing.repeat",
                "error tim-2 MedicationRequest.dosageInstruction[0].timing.repeat",
                "error tim-8 MedicationRequest.dosageInstruction[0].timing.repeat",
            ]
        ),
        (
            #"{"resourceType":"Condition","clinicalStatus":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/condition-clinical","code":"active"}]},"code":{"text":"x"},"subject":{"reference":"Patient/1"},"abatementDateTime":"2026-01-01"}"#,
            ["error con-4 Condition"]
        ),
        (
            #"{"resourceType":"Patient","contact":[{"gender":"female"}]}"#,
            ["error pat-1 Patient.contact[0]"]
        ),
        (
            #"{"resourceType":"Bundle","type":"collection","total":2,"entry":[{"fullUrl":"urn:uuid:5d9c1f0e-7a61-4c57-9d2b-0c1b7d1e4a01","resource":{"resourceType":"Patient"}},{"fullUrl":"urn:uuid:5d9c1f0e-7a61-4c57-9d2b-0c1b7d1e4a01","resource":{"resourceType":"Patient"}}]}"#,
            ["error bdl-1 Bundle", "error bdl-7 Bundle"]
        ),
    ])
    func invariants(text: String, expected: [String]) {
        #expect(definitionKeys(text) == expected.sorted())
    }

    @Test(arguments: [
        (#"{"resourceType":"Patient","id":"no spaces allowed"}"#, "Patient.id"),
        (
            #"{"resourceType":"Patient","gender":"female","identifier":[{"system":"urn:oid:1.2 3","value":"7"}]}"#,
            "Patient.identifier[0].system"
        ),
        (#"{"resourceType":"Patient","language":" en"}"#, "Patient.language"),
        (
            #"{"resourceType":"MedicationRequest","status":"active","intent":"order","medicationCodeableConcept":{"text":"x"},"subject":{"reference":"Patient/1"},"dosageInstruction":[{"timing":{"repeat":{"count":0}}}]}"#,
            "MedicationRequest.dosageInstruction[0].timing.repeat.count"
        ),
        (#"{"resourceType":"Patient","name":[{"family":"   "}]}"#, "Patient.name[0].family"),
    ])
    func primitiveFormats(text: String, path: String) {
        #expect(keys(text) == ["error struct-format \(path)"])
    }

    @Test func unknownElementsAreErrorsAndTheRestIsStillChecked() {
        let text = #"{"resourceType":"Observation","status":"done","code":{"text":"x"},"weightKg":70}"#
        #expect(
            keys(text) == [
                "error struct-binding Observation.status", "error struct-unknown-element Observation.weightKg",
            ])
    }

    @Test func unitsAreCheckedThroughUCUM() {
        let text =
            #"{"resourceType":"MedicationRequest","status":"active","intent":"order","medicationCodeableConcept":{"text":"x"},"subject":{"reference":"Patient/1"},"dosageInstruction":[{"doseAndRate":[{"rateQuantity":{"value":30,"unit":"mL/hr","system":"http://unitsofmeasure.org","code":"mL/hr"}}]}]}"#
        #expect(
            keys(text) == [
                "error ucum-quantity-human-spelling MedicationRequest.dosageInstruction[0].doseAndRate[0].rateQuantity.code"
            ])
        // A quantity in another code system (tablets) is valid FHIR and left alone.
        let tablets =
            #"{"resourceType":"MedicationRequest","status":"active","intent":"order","medicationCodeableConcept":{"text":"x"},"subject":{"reference":"Patient/1"},"dosageInstruction":[{"doseAndRate":[{"doseQuantity":{"value":1,"unit":"TAB","system":"http://terminology.hl7.org/CodeSystem/v3-orderableDrugForm","code":"TAB"}}]}]}"#
        #expect(keys(tablets).isEmpty)
    }

    @Test func textThatIsNotJSONIsFatalWithItsPosition() throws {
        let findings = ValidationHarness.findings("{\n  \"resourceType\": \"Patient\",\n  \"gender\": female\n}")
        let finding = try #require(findings.first)
        #expect(findings.count == 1 && finding.severity == .fatal && finding.ruleID == "struct-syntax")
        #expect(finding.location?.line == 3)
    }

    @Test func findingsInXMLCarryTheLineOfTheElement() throws {
        let xml = """
            <Observation xmlns="http://hl7.org/fhir">
              <code>
                <text value="Body weight"/>
              </code>
              <subject>
                <reference value="Patient 7"/>
              </subject>
            </Observation>
            """
        let findings = ValidationHarness.findings(xml, name: "input.xml")
        #expect(
            ValidationHarness.keys(findings) == [
                "error struct-cardinality-min Observation.status",
                "error struct-reference Observation.subject.reference",
            ])
        let reference = try #require(findings.first { $0.ruleID == "struct-reference" })
        #expect(reference.location?.line == 6)
        #expect(reference.description.hasPrefix("input.xml:6:"))
    }

    @Test func findingsInPrettyJSONCarryTheLineOfTheElement() throws {
        let text = """
            {
              "resourceType": "Observation",
              "status": "final",
              "code": {"text": "x"},
              "subject": {
                "reference": "Patient 7"
              }
            }
            """
        let finding = try #require(ValidationHarness.findings(text).first)
        #expect(finding.location?.line == 6 && finding.location?.column == 5)
    }
}
