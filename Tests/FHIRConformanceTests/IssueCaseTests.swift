import FHIRConformance
import FHIRCore
import FHIRValidation
import Foundation
import Testing

/// The cases the issue lists as passing without an error before definition-driven validation,
/// each now failing for its one reason, at the FHIRPath the HL7 validator names.
@Suite struct IssueCaseTests {
    @Test func anElementWithOnlyAnIDBreaksEle1InJSON() throws {
        let errors = try Conformance.errors(json: #"{"resourceType": "Patient", "_implicitRules": {"id": "i1"}}"#)
        #expect(errors == ["ele-1 Patient.implicitRules"])
    }

    @Test func anElementWithOnlyAnIDBreaksEle1InXML() throws {
        let patient = try Conformance.read(
            xml: #"<Patient xmlns="http://hl7.org/fhir"><implicitRules id="i1"/></Patient>"#)
        let findings = Conformance.base.validate(patient)
        #expect(Conformance.errors(findings) == ["ele-1 Patient.implicitRules"])
        #expect(findings.first { $0.ruleID == "ele-1" }?.location?.line == 1)
    }

    @Test func aRelativeExtensionURLIsAnError() throws {
        let errors = try Conformance.errors(
            json: #"""
                {"resourceType": "Patient", "extension": [{"url": "something", "valueString": "x"}]}
                """#)
        #expect(errors == ["ext-url Patient.extension[0]"])
    }

    @Test func anExtensionOnResourceIDIsAnError() throws {
        let errors = try Conformance.errors(
            json: #"""
                {"resourceType": "Patient", "id": "p1", "_id": {"extension": [{
                  "url": "http://hl7.org/fhir/StructureDefinition/data-absent-reason", "valueCode": "unknown"}]}}
                """#)
        #expect(errors == ["ext-context Patient.id.extension[0]"])
    }

    @Test func anExtensionOutOfItsContextIsAnError() throws {
        // patient-birthTime belongs on Patient.birthDate, not on the Patient.
        let errors = try Conformance.errors(
            json: #"""
                {"resourceType": "Patient", "extension": [{
                  "url": "http://hl7.org/fhir/StructureDefinition/patient-birthTime", "valueDateTime": "2020-01-02T03:04:05Z"}]}
                """#)
        #expect(errors == ["ext-context Patient.extension[0]"])
        let inContext = try Conformance.errors(
            json: #"""
                {"resourceType": "Patient", "birthDate": "2020-01-02", "_birthDate": {"extension": [{
                  "url": "http://hl7.org/fhir/StructureDefinition/patient-birthTime", "valueDateTime": "2020-01-02T03:04:05Z"}]}}
                """#)
        #expect(inContext.isEmpty)
    }

    @Test func aModifierExtensionInExtensionIsAnError() throws {
        let errors = try Conformance.errors(
            json: #"""
                {"resourceType": "NutritionOrder", "status": "active", "intent": "order", "patient": {"reference": "Patient/1"},
                 "dateTime": "2020-01-02", "oralDiet": {"type": [{"text": "regular"}]},
                 "extension": [{"url": "http://hl7.org/fhir/StructureDefinition/request-doNotPerform", "valueBoolean": true}]}
                """#)
        #expect(errors == ["ext-modifier NutritionOrder.extension[0]"])
    }

    @Test func anExtensionWithTheWrongValueTypeIsAnError() throws {
        let errors = try Conformance.errors(
            json: #"""
                {"resourceType": "Patient", "extension": [{
                  "url": "http://hl7.org/fhir/StructureDefinition/patient-mothersMaidenName", "valueInteger": 3}]}
                """#)
        #expect(errors == ["struct-type Patient.extension[0].value.ofType(integer)"])
    }

    @Test func anUnknownExtensionIsAWarningOrOnRequestAnError() throws {
        let json = #"""
            {"resourceType": "Patient", "extension": [{"url": "http://example.org/unknown", "valueString": "x"}]}
            """#
        let findings = try Conformance.findings(json: json)
        #expect(
            findings.filter { $0.ruleID.hasPrefix("ext-") }.map { "\($0.severity) \($0.ruleID)" } == [
                "warning ext-unknown"
            ])
        let strict = ConformanceValidator(options: .init(unknownExtensionSeverity: .error))
        #expect(try Conformance.errors(json: json, validator: strict) == ["ext-unknown Patient.extension[0]"])
    }

    static let bodyTemperatureWithoutItsCode = #"""
        {"resourceType": "Observation", "status": "final",
         "meta": {"profile": ["http://hl7.org/fhir/StructureDefinition/bodytemp"]},
         "category": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/observation-category",
                                   "code": "vital-signs"}]}],
         "code": {"coding": [{"system": "http://loinc.org", "code": "8331-1"}]},
         "subject": {"reference": "Patient/1"}, "effectiveDateTime": "2020-01-02",
         "valueQuantity": {"value": 37.1, "unit": "C", "system": "http://unitsofmeasure.org", "code": "Cel"}}
        """#

    @Test func aBodyTemperatureWithoutLOINC8310_5IsAnError() throws {
        let errors = try Conformance.errors(json: Self.bodyTemperatureWithoutItsCode)
        #expect(errors == ["struct-cardinality-min Observation.code.coding"])
        let coded = Self.bodyTemperatureWithoutItsCode.replacingOccurrences(of: "8331-1", with: "8310-5")
        #expect(try Conformance.errors(json: coded).isEmpty)
    }

    static let vitalSignsCategory = #"""
        "category": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/observation-category",
                                  "code": "vital-signs"}]}]
        """#

    @Test func aVitalSignBreakingVS3IsAnError() throws {
        // A blood pressure (LOINC 85354-9: the bp profile applies by its code) whose diastolic
        // component has neither a value nor a dataAbsentReason.
        let errors = try Conformance.errors(
            json: #"""
                {"resourceType": "Observation", "status": "final", \#(Self.vitalSignsCategory),
                 "code": {"coding": [{"system": "http://loinc.org", "code": "85354-9"}]},
                 "subject": {"reference": "Patient/1"}, "effectiveDateTime": "2020-01-02",
                 "component": [
                   {"code": {"coding": [{"system": "http://loinc.org", "code": "8480-6"}]},
                    "valueQuantity": {"value": 120, "unit": "mmHg", "system": "http://unitsofmeasure.org", "code": "mm[Hg]"}},
                   {"code": {"coding": [{"system": "http://loinc.org", "code": "8462-4"}]}}]}
                """#)
        #expect(errors == ["vs-3 Observation.component[1]"])
    }

    @Test func aVitalSignWithoutValueBreaksVS2() throws {
        // A heart rate (LOINC 8867-4) with no value, no dataAbsentReason and no component.
        let errors = try Conformance.errors(
            json: #"""
                {"resourceType": "Observation", "status": "final", \#(Self.vitalSignsCategory),
                 "code": {"coding": [{"system": "http://loinc.org", "code": "8867-4"}]},
                 "subject": {"reference": "Patient/1"}, "effectiveDateTime": "2020-01-02"}
                """#)
        #expect(errors == ["vs-2 Observation"])
    }

    @Test func aReferenceResolvingToTheWrongTypeInABundleIsAnError() throws {
        let errors = try Conformance.errors(
            json: #"""
                {"resourceType": "Bundle", "type": "collection", "entry": [
                  {"fullUrl": "http://example.org/fhir/Observation/1",
                   "resource": {"resourceType": "Observation", "id": "1", "status": "final", "code": {"text": "x"},
                                "subject": {"reference": "Patient/5"}}},
                  {"fullUrl": "http://example.org/fhir/Patient/5",
                   "resource": {"resourceType": "Organization", "id": "5", "name": "Acme"}}]}
                """#)
        #expect(
            errors == [
                "bundle-fullurl Bundle.entry[1].fullUrl",
                "struct-reference-target Bundle.entry[0].resource.ofType(Observation).subject.reference",
            ])
    }

    @Test func twoSelfLinksAreAnError() throws {
        let errors = try Conformance.errors(
            json: #"""
                {"resourceType": "Bundle", "type": "searchset", "link": [
                  {"relation": "self", "url": "http://example.org/fhir/Patient?name=a"},
                  {"relation": "self", "url": "http://example.org/fhir/Patient?name=b"}]}
                """#)
        #expect(errors == ["bundle-link-relation Bundle.link[1]"])
    }

    @Test func aRequiredBindingIsAnErrorAndAnExtensibleOneAWarning() throws {
        let findings = try Conformance.findings(
            json: #"""
                {"resourceType": "Observation", "status": "done", "code": {"text": "x"}}
                """#)
        #expect(Conformance.errors(findings) == ["struct-binding Observation.status"])
    }

    @Test func invariantsOfDatatypesAndResourcesRunThroughTheEngine() throws {
        // per-1 (a Period's start after its end) and dom-3 (a contained resource not referred to)
        let errors = try Conformance.errors(
            json: #"""
                {"resourceType": "Encounter", "status": "finished", "class": {"system":
                  "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "AMB"},
                 "contained": [{"resourceType": "Patient", "id": "p"}],
                 "period": {"start": "2020-01-03", "end": "2020-01-02"}}
                """#)
        #expect(errors.contains("per-1 Encounter.period"))
    }
}

/// The type a literal reference names, in each form it can be written, against the types its
/// element allows (`Observation.subject`: Patient, Group, Device, Location).
@Suite struct ReferenceTargetTests {
    static func errors(subject: String) throws -> [String] {
        try Conformance.errors(
            json: #"{"resourceType": "Observation", "status": "final", "code": {"text": "x"}, "#
                + #""subject": {"reference": "\#(subject)"}}"#)
    }

    @Test(arguments: [
        "Patient/1", "Patient/1/_history/2", "http://example.org/fhir/Patient/1",
        "http://example.org/fhir/Patient/1/_history/2", "Patient//1/", "1", "_history/2", "urn:uuid:x",
        // `_history` with no version after it: `1` stands where a type would, and names none.
        "http://example.org/fhir/Medication/1/_history",
    ])
    func aReferenceToAnAllowedTypeOrToNoNamedTypeIsAccepted(subject: String) throws {
        #expect(try Self.errors(subject: subject).isEmpty, "\(subject)")
    }

    @Test(arguments: [
        "Medication/1", "Medication/1/_history/2", "http://example.org/fhir/Medication/1",
        "http://example.org/fhir/Medication/1/_history/2", "/Medication//1", "Patient/Medication/1",
    ])
    func aReferenceToAnotherTypeIsAnError(subject: String) throws {
        #expect(try Self.errors(subject: subject) == ["struct-reference-target Observation.subject.reference"])
    }
}
