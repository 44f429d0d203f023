/// The reference data the samples draw on (the products come from `Mappings/products.json`
/// through ``IVIGProducts/ProductTable``): indications with their regimens
/// (`../shared/domain/ivig-dosing.md` section 1) and codes (section 4c), reactions (4d) and the
/// measures of response (4b, 6).
enum SampleCatalog {
    /// The project's codes for measures that have no LOINC code (INCAT, MRC sum score): the
    /// system the assessment ConceptMap (`Mappings/conceptmap-assessment.json`) maps to.
    static let measureSystem = "https://ivig-fhir.example.org/CodeSystem/ivig-assessment"
    /// The extension that records one step of an infusion's rate ramp.
    static let rateStepExtension = "https://ivig-fhir.example.org/StructureDefinition/infusion-rate-step"

    /// One course: `days` infusions of `gramsPerKgPerDay`, repeated every `intervalDays` (0: once).
    struct Regimen: Sendable {
        var name: String
        var gramsPerKgPerDay: String
        var days: Int
        var intervalDays: Int
        /// `acute` or `continuous` (medicationrequest-course-of-therapy).
        var course: String
    }

    struct Indication: Sendable {
        var id: String
        var display: String
        var snomed: String?
        var icd10: String
        var regimens: [Regimen]
        /// Kawasaki disease is a disease of young children; the others are adults here.
        var isPaediatric = false
        /// What is measured to see the response.
        var response: ResponseMeasure
    }

    enum ResponseMeasure: Sendable { case strength, igGTrough, platelets, temperature }

    static let indications: [Indication] = [
        Indication(id: "CIDP", display: "Chronic inflammatory demyelinating polyradiculoneuropathy",
                   snomed: "128209004", icd10: "G61.81",
                   regimens: [Regimen(name: "induction", gramsPerKgPerDay: "0.4", days: 5, intervalDays: 0, course: "acute"),
                              Regimen(name: "induction", gramsPerKgPerDay: "1", days: 2, intervalDays: 0, course: "acute"),
                              Regimen(name: "maintenance", gramsPerKgPerDay: "1", days: 1, intervalDays: 21, course: "continuous"),
                              Regimen(name: "maintenance", gramsPerKgPerDay: "0.5", days: 2, intervalDays: 21, course: "continuous")],
                   response: .strength),
        // MMN has no SNOMED code in the reference table (230572002 is diabetic neuropathy).
        Indication(id: "MMN", display: "Multifocal motor neuropathy", snomed: nil, icd10: "G61.82",
                   regimens: [Regimen(name: "induction", gramsPerKgPerDay: "0.4", days: 5, intervalDays: 0, course: "acute"),
                              Regimen(name: "maintenance", gramsPerKgPerDay: "1", days: 1, intervalDays: 28, course: "continuous")],
                   response: .strength),
        Indication(id: "GBS", display: "Guillain-Barré syndrome", snomed: "40956001", icd10: "G61.0",
                   regimens: [Regimen(name: "course", gramsPerKgPerDay: "0.4", days: 5, intervalDays: 0, course: "acute")],
                   response: .strength),
        Indication(id: "MG", display: "Myasthenia gravis", snomed: "91637004", icd10: "G70.00",
                   regimens: [Regimen(name: "exacerbation", gramsPerKgPerDay: "0.4", days: 5, intervalDays: 0, course: "acute"),
                              Regimen(name: "exacerbation", gramsPerKgPerDay: "1", days: 2, intervalDays: 0, course: "acute")],
                   response: .strength),
        Indication(id: "KD", display: "Kawasaki disease", snomed: "75053002", icd10: "M30.3",
                   regimens: [Regimen(name: "single infusion", gramsPerKgPerDay: "2", days: 1, intervalDays: 0, course: "acute")],
                   isPaediatric: true, response: .temperature),
        Indication(id: "ITP", display: "Immune thrombocytopenia", snomed: "2897005", icd10: "D69.3",
                   regimens: [Regimen(name: "acute", gramsPerKgPerDay: "1", days: 2, intervalDays: 0, course: "acute"),
                              Regimen(name: "acute", gramsPerKgPerDay: "0.4", days: 5, intervalDays: 0, course: "acute")],
                   response: .platelets),
        // PID is ICD-10-CM D80-D84; D83.9 (common variable immunodeficiency, unspecified) is one
        // code of that block, chosen here and not confirmed against a clinical source.
        Indication(id: "PID", display: "Common variable immunodeficiency", snomed: nil, icd10: "D83.9",
                   regimens: [Regimen(name: "replacement", gramsPerKgPerDay: "0.4", days: 1, intervalDays: 28, course: "continuous"),
                              Regimen(name: "replacement", gramsPerKgPerDay: "0.5", days: 1, intervalDays: 21, course: "continuous"),
                              Regimen(name: "replacement", gramsPerKgPerDay: "0.8", days: 1, intervalDays: 28, course: "continuous")],
                   response: .igGTrough),
    ]

    struct Reaction: Sendable {
        var snomed: String
        var display: String
        var serious: Bool
    }

    /// Reactions named on IVIG labels, with the SNOMED CT codes of section 4d.
    static let reactions: [Reaction] = [
        Reaction(snomed: "25064002", display: "Headache", serious: false),
        Reaction(snomed: "386661006", display: "Fever", serious: false),
        Reaction(snomed: "43724002", display: "Chills", serious: false),
        Reaction(snomed: "271807003", display: "Rash", serious: false),
        Reaction(snomed: "41291007", display: "Angioedema", serious: true),
        Reaction(snomed: "39579001", display: "Anaphylaxis", serious: true),
        Reaction(snomed: "14669001", display: "Acute kidney injury", serious: true),
    ]

    static let familyNames = [
        "Jansen", "de Vries", "Müller", "O'Brien", "Nowak", "García", "Søndergaard", "Kowalski", "Smith",
        "Nguyen", "Rossi", "Dubois", "Öztürk", "Papadopoulos", "Kim", "Van den Berg", "Ó Súilleabháin",
    ]
    static let givenNames = [
        "Maria", "Jan", "Anna", "Pieter", "Sofia", "Lukas", "Émilie", "José", "Fatima", "Noah", "Ingrid",
        "Mateo", "Zoë", "Aleksander", "Mei", "Oliver", "Chiara", "Björn",
    ]
    static let cities = ["Utrecht", "Leuven", "Köln", "Lyon", "Kraków", "Aarhus", "Bologna", "Porto"]
    static let zones = ["+01:00", "+02:00", "Z", "-05:00"]
}
