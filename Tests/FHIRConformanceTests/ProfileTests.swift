import FHIRConformance
import FHIRValidation
import Foundation
import Testing

/// US Core 3.1.0 and the core vital-signs profiles: a conforming resource has no error, and
/// each non-conforming one fails for its one stated reason at the expected FHIRPath.
@Suite struct ProfileTests {
    static let usCore = "http://hl7.org/fhir/us/core/StructureDefinition/"

    /// Errors of `json` against the US Core profile `name` (given as `--profile` would).
    func usCoreErrors(_ json: String, profile name: String) throws -> [String]? {
        guard let validator = Conformance.usCore(profile: Self.usCore + name) else {
            print(Conformance.usCoreAbsent)
            return nil
        }
        return try Conformance.errors(json: json, validator: validator)
    }

    static let patient = #"""
        {"resourceType": "Patient", "id": "p1",
         "identifier": [{"system": "http://hospital.example.org/mrn", "value": "12345"}],
         "name": [{"family": "Shaw", "given": ["Amy"]}], "gender": "female", "birthDate": "1987-02-20"}
        """#

    @Test func usCorePatient() throws {
        guard let conforming = try usCoreErrors(Self.patient, profile: "us-core-patient") else { return }
        #expect(conforming.isEmpty)
        // No identifier: US Core needs at least one.
        let noIdentifier = Self.patient.replacingOccurrences(
            of: #""identifier": [{"system": "http://hospital.example.org/mrn", "value": "12345"}],"#, with: "")
        #expect(try usCoreErrors(noIdentifier, profile: "us-core-patient") == ["struct-cardinality-min Patient.identifier"])
        // A name with neither family nor given breaks us-core-8.
        let textOnly = Self.patient.replacingOccurrences(of: #"{"family": "Shaw", "given": ["Amy"]}"#, with: #"{"text": "Amy Shaw"}"#)
        #expect(try usCoreErrors(textOnly, profile: "us-core-patient") == ["us-core-8 Patient.name[0]"])
    }

    @Test func usCorePatientFromMetaProfile() throws {
        guard let definitions = Conformance.usCoreDefinitions else { return print(Conformance.usCoreAbsent) }
        let claimed = Self.patient.replacingOccurrences(
            of: #""id": "p1","#, with: #""id": "p1", "meta": {"profile": ["\#(Self.usCore)us-core-patient"]}, "gender": "x","#)
            .replacingOccurrences(of: #", "gender": "female""#, with: "")
        let errors = try Conformance.errors(json: claimed, validator: ConformanceValidator(definitions: definitions))
        #expect(errors == ["struct-binding Patient.gender"])
    }

    static let labObservation = #"""
        {"resourceType": "Observation", "status": "final",
         "category": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/observation-category",
                                   "code": "laboratory"}]}],
         "code": {"coding": [{"system": "http://loinc.org", "code": "2345-7", "display": "Glucose"}]},
         "subject": {"reference": "Patient/p1"}, "effectiveDateTime": "2020-01-02T08:00:00Z",
         "valueQuantity": {"value": 5.4, "unit": "mmol/L", "system": "http://unitsofmeasure.org", "code": "mmol/L"}}
        """#

    @Test func usCoreLabObservation() throws {
        guard let conforming = try usCoreErrors(Self.labObservation, profile: "us-core-observation-lab") else { return }
        #expect(conforming.isEmpty)
        // Not categorised as laboratory: the Laboratory slice of category is required.
        let notLab = Self.labObservation.replacingOccurrences(of: #""code": "laboratory""#, with: #""code": "exam""#)
        #expect(try usCoreErrors(notLab, profile: "us-core-observation-lab") == ["struct-cardinality-min Observation.category"])
    }

    static let condition = #"""
        {"resourceType": "Condition",
         "clinicalStatus": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/condition-clinical",
                                        "code": "active"}]},
         "category": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/condition-category",
                                   "code": "problem-list-item"}]}],
         "code": {"coding": [{"system": "http://snomed.info/sct", "code": "230543005", "display": "CIDP"}]},
         "subject": {"reference": "Patient/p1"}}
        """#

    @Test func usCoreCondition() throws {
        guard let conforming = try usCoreErrors(Self.condition, profile: "us-core-condition") else { return }
        #expect(conforming.isEmpty)
        // No subject: US Core needs it.
        let noSubject = Self.condition.replacingOccurrences(of: #""subject": {"reference": "Patient/p1"}"#, with: #""id": "c1""#)
        #expect(try usCoreErrors(noSubject, profile: "us-core-condition") == ["struct-cardinality-min Condition.subject"])
    }

    static let medication = #"""
        {"resourceType": "Medication",
         "code": {"coding": [{"system": "http://www.nlm.nih.gov/research/umls/rxnorm", "code": "1049502"}]}}
        """#

    @Test func usCoreMedication() throws {
        guard let conforming = try usCoreErrors(Self.medication, profile: "us-core-medication") else { return }
        #expect(conforming.isEmpty)
        // No code: US Core needs one.
        let noCode = #"{"resourceType": "Medication", "status": "active"}"#
        #expect(try usCoreErrors(noCode, profile: "us-core-medication") == ["struct-cardinality-min Medication.code"])
    }

    static let medicationRequest = #"""
        {"resourceType": "MedicationRequest", "status": "active", "intent": "order",
         "medicationCodeableConcept": {"coding": [{"system": "http://www.nlm.nih.gov/research/umls/rxnorm",
                                                   "code": "1049502"}]},
         "subject": {"reference": "Patient/p1"}, "authoredOn": "2020-01-02",
         "requester": {"reference": "Practitioner/d1"}}
        """#

    @Test func usCoreMedicationRequest() throws {
        guard let conforming = try usCoreErrors(Self.medicationRequest, profile: "us-core-medicationrequest") else { return }
        #expect(conforming.isEmpty)
        // No requester: US Core needs one.
        let noRequester = Self.medicationRequest.replacingOccurrences(
            of: #""requester": {"reference": "Practitioner/d1"}"#, with: #""id": "m1""#)
        #expect(try usCoreErrors(noRequester, profile: "us-core-medicationrequest")
            == ["struct-cardinality-min MedicationRequest.requester"])
        // A requester that is a Patient's... Observation: US Core allows Practitioner, Organization, Patient, …
        let wrongTarget = Self.medicationRequest.replacingOccurrences(of: "Practitioner/d1", with: "Observation/o1")
        #expect(try usCoreErrors(wrongTarget, profile: "us-core-medicationrequest")
            == ["struct-reference-target MedicationRequest.requester.reference"])
    }

    static let bodyWeight = #"""
        {"resourceType": "Observation", "status": "final",
         "category": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/observation-category",
                                   "code": "vital-signs"}]}],
         "code": {"coding": [{"system": "http://loinc.org", "code": "29463-7"}]},
         "subject": {"reference": "Patient/p1"}, "effectiveDateTime": "2020-01-02",
         "valueQuantity": {"value": 70.5, "unit": "kg", "system": "http://unitsofmeasure.org", "code": "kg"}}
        """#

    @Test func coreBodyWeightAppliesByItsCode() throws {
        #expect(try Conformance.errors(json: Self.bodyWeight).isEmpty)
        // A body weight in centimetres: the unit is outside the body-weight units.
        let inCentimetres = Self.bodyWeight.replacingOccurrences(of: #""code": "kg""#, with: #""code": "cm""#)
        #expect(try Conformance.errors(json: inCentimetres) == ["struct-binding Observation.value.ofType(Quantity).code"])
        // Not categorised as a vital sign: the VSCat slice of category is required.
        let uncategorised = Self.bodyWeight.replacingOccurrences(of: #""code": "vital-signs""#, with: #""code": "exam""#)
        #expect(try Conformance.errors(json: uncategorised) == ["struct-cardinality-min Observation.category"])
    }

    @Test func coreHeartRateNeedsItsUnit() throws {
        let heartRate = Self.bodyWeight.replacingOccurrences(of: "29463-7", with: "8867-4")
            .replacingOccurrences(of: #""unit": "kg", "system": "http://unitsofmeasure.org", "code": "kg""#,
                                  with: #""unit": "beats/minute", "system": "http://unitsofmeasure.org", "code": "/min""#)
        #expect(try Conformance.errors(json: heartRate).isEmpty)
        let inKilograms = Self.bodyWeight.replacingOccurrences(of: "29463-7", with: "8867-4")
        #expect(try Conformance.errors(json: inKilograms) == ["struct-fixed Observation.value.ofType(Quantity).code"])
    }
}
