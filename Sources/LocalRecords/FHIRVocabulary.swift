internal import ExactArithmetic
internal import FHIRCore
internal import UCUM

/// Code systems the mapping writes or reads. Local code systems come from the mapping folder;
/// these are the standard and project ones, fixed by FHIR or by the project.
enum FHIRSystems {
    static let ucum = "http://unitsofmeasure.org"
    static let loinc = "http://loinc.org"
    static let snomed = "http://snomed.info/sct"
    static let ivigProduct = "https://ivig-fhir.example.org/CodeSystem/ivig-product"
    static let observationCategory = "http://terminology.hl7.org/CodeSystem/observation-category"
    static let doseRateType = "http://terminology.hl7.org/CodeSystem/dose-rate-type"
    static let adverseEventSeverity = "http://terminology.hl7.org/CodeSystem/adverse-event-severity"
    static let adverseEventOutcome = "http://terminology.hl7.org/CodeSystem/adverse-event-outcome"
    static let adverseEventSeriousness = "http://terminology.hl7.org/CodeSystem/adverse-event-seriousness"
    static let medicationRequestStatus = "http://hl7.org/fhir/CodeSystem/medicationrequest-status"
    static let medicationAdminStatus = "http://terminology.hl7.org/CodeSystem/medication-admin-status"
    static let observationStatus = "http://hl7.org/fhir/observation-status"
    /// The project's code system for when an assessment was taken (`baseline`, `follow-up`).
    static let assessmentTiming = "https://ivig-fhir.example.org/CodeSystem/assessment-timing"
}

/// Fixed codes: what the local format always means, whatever the hospital.
enum FHIRCodes {
    /// LOINC body weight (the weight used for dosing; shared decision with validation).
    static let bodyWeight = (code: "29463-7", display: "Body weight")
    /// LOINC body height.
    static let bodyHeight = (code: "8302-2", display: "Body height")
    /// SNOMED CT intravenous route: every IVIG order and infusion is intravenous.
    static let intravenousRoute = (code: "47625008", display: "Intravenous route")
    /// AdverseEvent.seriousness codes for the local `serious` flag.
    static let serious = "Serious"
    static let nonSerious = "Non-serious"
    /// What the contained Medication's ingredient is.
    static let immunoglobulinText = "Human normal immunoglobulin G"
}

/// The URLs of the extensions that carry local fields FHIR has no element for. Each is
/// documented in `Mappings/README.md`.
enum LocalExtensions {
    private static let base = "https://ivig-fhir.example.org/StructureDefinition/"
    /// Dosage: the course's total dose per kg (valueQuantity), order `dose_per_kg`.
    static let courseDosePerKg = base + "course-dose-per-kg"
    /// MedicationRequest: one premedication order as text (valueString, repeats), order `premedication`.
    static let premedication = base + "premedication"
    /// MedicationAdministration.dosage: the volume infused (valueQuantity), infusion `volume`.
    static let infusedVolume = base + "infused-volume"
    /// MedicationAdministration.dosage: one rate step (complex: `at` valueDateTime, `rate`
    /// valueQuantity; repeats in order), infusion `rate_steps`.
    static let rateStep = base + "rate-step"
    /// MedicationAdministration: whether a reaction was recorded (valueBoolean), infusion `reaction`.
    static let infusionReaction = base + "infusion-reaction"
    /// Observation: baseline or follow-up (valueCode), assessment `timing`.
    static let assessmentTiming = base + "assessment-timing"
    /// AdverseEvent: the action taken (valueCodeableConcept), reaction `action`.
    static let reactionAction = base + "reaction-action"
}

/// Extensions FHIR itself defines that the mapping uses.
enum FHIRExtensions {
    /// The text a person typed for a coded element (R4 core extension `originalText`,
    /// valueString): the local unit of an order's `interval` on `Timing.repeat.periodUnit`.
    static let originalText = "http://hl7.org/fhir/StructureDefinition/originalText"
}

/// FHIR's units of time (value set `units-of-time`, a required binding on `Timing.repeat.periodUnit`):
/// the UCUM codes an order's interval may be written in.
enum FHIRUnitsOfTime {
    static let codes = ["s", "min", "h", "d", "wk", "mo", "a"]

    /// `value` `code` in days, exactly (a UCUM `mo` is 30.4375 d, an `a` 365.25 d); `nil` for
    /// a code that is not one of ``codes`` or a value that is not a number.
    static func days(_ value: FHIRDecimal, code: String) -> ExactRational? {
        guard codes.contains(code), let number = ExactDecimal(value.text),
            let perUnit = try? UCUM.convert(ExactDecimal(1), from: code, to: "d").value
        else { return nil }
        return ExactRational(number) * ExactRational(perUnit)
    }
}
