/// The reference data the samples draw on: IVIG products (mirroring `Mappings/products.json`,
/// which a test compares with this table), indications with their regimens
/// (`../shared/domain/ivig-dosing.md` section 1) and codes (section 4c), reactions (4d) and the
/// measures of response (4b, 6).
enum SampleCatalog {
    /// The product code system shared by every part of ivig-fhir.
    static let productSystem = "https://ivig-fhir.example.org/CodeSystem/ivig-product"
    /// Local codes for measures that have no LOINC code (INCAT, MRC sum score).
    static let measureSystem = "https://ivig-fhir.example.org/CodeSystem/strength-measure"
    /// The extension that records one step of an infusion's rate ramp.
    static let rateStepExtension = "https://ivig-fhir.example.org/StructureDefinition/infusion-rate-step"

    struct Rate: Sendable {
        /// Indication ids, `*` for any other.
        var indications: [String]
        /// Label rates, in `unit`.
        var initial: String
        var maximum: String
        /// The label's unit: `mg/kg/min` (the file's `rateUnit`) or `mL/kg/h`, as products.json says.
        var unit: String = "mg/kg/min"

        /// A label rate in mg/kg/min with one decimal, rounded down so samples stay within the label.
        func milligramsPerKgPerMinute(_ text: String, concentration: Int) -> ScaledDecimal {
            let value = ScaledDecimal(text).rescaled(to: 3)
            guard unit == "mL/kg/h" else { return ScaledDecimal(value.units / 100, scale: 1) }
            // mg/kg/min = mL/kg/h × (mg/mL) / 60; thousandths → tenths is a further / 100.
            return ScaledDecimal(value.units * concentration / (60 * 100), scale: 1)
        }
    }

    struct Product: Sendable {
        var code: String
        var display: String
        /// IgG concentration in mg/mL.
        var concentration: Int
        var vialsGrams: [String]
        /// `nil` when the label rates are unknown: such products are never ordered in samples.
        var rates: [Rate]?

        /// The label rate for an indication, or the `*` row.
        func rate(for indication: String) -> Rate? {
            rates?.first { $0.indications.contains(indication) } ?? rates?.first { $0.indications.contains("*") }
        }
    }

    static let products: [Product] = [
        Product(code: "privigen-10", display: "Privigen 10%", concentration: 100, vialsGrams: ["2.5", "5", "10", "20", "40"],
                rates: [Rate(indications: ["PID"], initial: "0.5", maximum: "8"),
                        Rate(indications: ["ITP"], initial: "0.5", maximum: "4"),
                        Rate(indications: ["CIDP"], initial: "0.5", maximum: "8"),
                        Rate(indications: ["*"], initial: "0.5", maximum: "8")]),
        Product(code: "gamunex-c-10", display: "Gamunex-C 10%", concentration: 100, vialsGrams: ["5", "10", "20"],
                rates: [Rate(indications: ["PID", "ITP"], initial: "1", maximum: "8"),
                        Rate(indications: ["CIDP"], initial: "2", maximum: "8"),
                        Rate(indications: ["*"], initial: "1", maximum: "8")]),
        Product(code: "gammagard-liquid-10", display: "Gammagard Liquid 10%", concentration: 100,
                vialsGrams: ["1", "2.5", "5", "10", "20", "30"],
                rates: [Rate(indications: ["PID"], initial: "0.5", maximum: "5", unit: "mL/kg/h"),
                        Rate(indications: ["MMN", "CIDP"], initial: "0.5", maximum: "5.4", unit: "mL/kg/h"),
                        Rate(indications: ["*"], initial: "0.5", maximum: "5", unit: "mL/kg/h")]),
        Product(code: "octagam-10", display: "Octagam 10%", concentration: 100, vialsGrams: ["2", "5", "10", "20", "30"],
                rates: [Rate(indications: ["ITP"], initial: "1", maximum: "12"),
                        Rate(indications: ["DM"], initial: "1", maximum: "4"),
                        Rate(indications: ["*"], initial: "1", maximum: "3.3")]),
        Product(code: "octagam-5", display: "Octagam 5%", concentration: 50, vialsGrams: ["2.5", "5", "10", "25"],
                rates: [Rate(indications: ["*"], initial: "1", maximum: "4.2")]),
        Product(code: "flebogamma-dif-10", display: "Flebogamma DIF 10%", concentration: 100, vialsGrams: ["5", "10", "20"],
                rates: [Rate(indications: ["*"], initial: "1", maximum: "8")]),
        Product(code: "flebogamma-dif-5", display: "Flebogamma DIF 5%", concentration: 50,
                vialsGrams: ["0.5", "2.5", "5", "10", "20"], rates: nil),
        Product(code: "kiovig-10", display: "Kiovig 10%", concentration: 100, vialsGrams: ["1", "2.5", "5", "10", "20", "30"],
                rates: nil),
    ]

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
