import FHIRElementModel

/// The core vital-signs profiles, by the LOINC code each one claims: in R4 the HL7 validator
/// validates an Observation coded with one of them against its profile, whether or not the
/// Observation names it in `meta.profile`.
enum VitalSigns {
    static let loinc = "http://loinc.org"
    static let base = "http://hl7.org/fhir/StructureDefinition/"

    /// LOINC code → profile id.
    static let profileByCode: [String: String] = [
        "85353-1": "vitalspanel", "9279-1": "resprate", "8867-4": "heartrate", "2708-6": "oxygensat",
        "59408-5": "oxygensat", "8310-5": "bodytemp", "8302-2": "bodyheight", "9843-4": "headcircum",
        "29463-7": "bodyweight", "39156-5": "bmi", "85354-9": "bp",
    ]

    /// The canonical URLs of the vital-signs profiles an Observation's code claims.
    static func profiles(for observation: FHIRElement) -> [String] {
        let codings = observation.child(named: "code")?.children(named: "coding") ?? []
        return codings.compactMap { coding in
            guard coding.child(named: "system")?.value == loinc, let code = coding.child(named: "code")?.value,
                let id = profileByCode[code]
            else { return nil }
            return base + id
        }
    }
}
