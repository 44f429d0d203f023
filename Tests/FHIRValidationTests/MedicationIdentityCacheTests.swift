import FHIRCore
import FHIRJSON
import IVIGProducts
import Testing

@testable import FHIRValidation

/// A Medication's identity is kept by its content, shared by every validator of one set of
/// rules: the content must tell apart everything identification reads, and a changed copy of
/// the rules must not see the identities worked out under the old ones.
@Suite struct MedicationIdentityCacheTests {
    private static func medication(_ json: String) throws -> Medication {
        guard case .medication(let medication) = try FHIRJSONDecoder().decode(AnyResource.self, from: Array(json.utf8))
        else { throw DecodingProblem() }
        return medication
    }
    private struct DecodingProblem: Error {}

    private static func content(_ json: String) throws -> String {
        let medication = try medication(json)
        return MedicationIdentifier.content(of: medication.code?.coding ?? [], medication: medication)
    }

    private static func json(
        system: String = "http://hl7.org/fhir/sid/ndc", code: String = "44206-439", display: String = "Privigen",
        text: String = "10% solution", value: String = "100", unit: String = "mg", extra: String = ""
    ) -> String {
        #"""
        {"resourceType":"Medication","id":"med"\#(extra),"code":{"coding":[{"system":"\#(system)","code":"\#(code)","display":"\#(display)"}],"text":"\#(text)"},
         "ingredient":[{"itemCodeableConcept":{"text":"IgG"},"strength":{"numerator":{"value":\#(value),"system":"http://unitsofmeasure.org","code":"\#(unit)"},"denominator":{"value":1,"system":"http://unitsofmeasure.org","code":"mL"}}}]}
        """#
    }

    @Test func theContentTellsApartWhatIdentificationReads() throws {
        let base = try Self.content(Self.json())
        let variants = try [
            Self.json(system: "http://www.nlm.nih.gov/research/umls/rxnorm"), Self.json(code: "44206-438"),
            Self.json(display: "Privigen 10%"), Self.json(text: "5% solution"), Self.json(value: "50"),
            Self.json(unit: "g"),
            // A character moved from one part to the next.
            Self.json(display: "Privige", text: "n10% solution"),
        ].map(Self.content)
        #expect(!variants.contains(base))
        #expect(Set(variants).count == variants.count)
        // What identification does not read leaves the content as it is.
        let unread = try Self.content(Self.json(extra: #","status":"active""#))
        #expect(unread == base)
        // A part left out is not an empty one, and a medicationCodeableConcept is not a Medication.
        let withText = try Self.content(#"{"resourceType":"Medication","code":{"text":"Privigen"}}"#)
        let withoutText = try Self.content(#"{"resourceType":"Medication","status":"active"}"#)
        #expect(withText != withoutText)
        #expect(MedicationIdentifier.content(of: [], medication: nil) != withoutText)
    }

    /// A Bundle with one infusion of a contained Privigen 10% (by NDC, with the ATC code of IVIG)
    /// at 20 mg/kg/min (its label maximum is 8) against its order.
    private static let infusion = #"""
        {"resourceType":"Bundle","type":"collection","entry":[
        {"fullUrl":"urn:uuid:00000000-0000-4000-8000-000000000001","resource":{"resourceType":"Patient","id":"p","gender":"female"}},
        {"fullUrl":"urn:uuid:00000000-0000-4000-8000-000000000002","resource":{"resourceType":"Observation","id":"w","status":"final",
          "code":{"coding":[{"system":"http://loinc.org","code":"29463-7"}]},"subject":{"reference":"Patient/p"},
          "effectiveDateTime":"2026-08-02T08:00:00+02:00","valueQuantity":{"value":70,"unit":"kg","system":"http://unitsofmeasure.org","code":"kg"}}},
        {"fullUrl":"urn:uuid:00000000-0000-4000-8000-000000000004","resource":{"resourceType":"MedicationRequest","id":"o","status":"active","intent":"order",
          "contained":[{"resourceType":"Medication","id":"med","code":{"coding":[{"system":"http://hl7.org/fhir/sid/ndc","code":"44206-439"},{"system":"http://www.whocc.no/atc","code":"J06BA02"}]}}],
          "medicationReference":{"reference":"#med"},"subject":{"reference":"Patient/p"},"authoredOn":"2026-08-03T09:00:00+02:00",
          "reasonCode":[{"coding":[{"system":"http://snomed.info/sct","code":"128209004"}]}],
          "dosageInstruction":[{"timing":{"repeat":{"boundsPeriod":{"start":"2026-08-04","end":"2026-08-08"},"count":5,"frequency":1,"period":1,"periodUnit":"d"}},
            "doseAndRate":[{"doseQuantity":{"value":0.4,"system":"http://unitsofmeasure.org","code":"g/kg"}}]}]}},
        {"fullUrl":"urn:uuid:00000000-0000-4000-8000-000000000005","resource":{"resourceType":"MedicationAdministration","id":"a","status":"completed",
          "contained":[{"resourceType":"Medication","id":"med","code":{"coding":[{"system":"http://hl7.org/fhir/sid/ndc","code":"44206-439"},{"system":"http://www.whocc.no/atc","code":"J06BA02"}]}}],
          "medicationReference":{"reference":"#med"},"subject":{"reference":"Patient/p"},"request":{"reference":"MedicationRequest/o"},
          "effectivePeriod":{"start":"2026-08-04T09:00:00+02:00","end":"2026-08-04T13:00:00+02:00"},
          "dosage":{"dose":{"value":28,"system":"http://unitsofmeasure.org","code":"g"},
            "rateQuantity":{"value":20,"system":"http://unitsofmeasure.org","code":"mg/kg/min"}}}}]}
        """#

    private static func rateMessages(_ rules: DosingRules) throws -> [String] {
        let bundle = try FHIRJSONDecoder().decode(AnyResource.self, from: Array(infusion.utf8))
        return Validator(rules: rules).validate(bundle).filter { $0.ruleID == "ivig-rate-max" }.map(\.message)
    }

    @Test func aChangedCopyOfTheRulesDoesNotSeeTheIdentitiesOfTheOld() throws {
        let rules = ValidationHarness.rules
        let named = try Self.rateMessages(rules)
        #expect(named.count == 1 && named[0].contains("Privigen 10%'s maximum"), "\(named)")
        // The same NDC in a table that no longer lists it names no product.
        var changed = rules
        changed.products.products.removeAll { $0.code == "privigen-10" }
        let unnamed = try Self.rateMessages(changed)
        #expect(!unnamed.isEmpty && unnamed.allSatisfy { !$0.contains("Privigen 10%'s maximum") }, "\(unnamed)")
        // And the rules as they were still name it.
        #expect(try Self.rateMessages(rules) == named)
    }
}
