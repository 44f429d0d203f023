import FHIRCore
import FHIRJSON
import Testing

/// FHIR dates "SHALL be valid dates": the day must exist in its month (found by the conservation
/// test: `2024-02-30` used to be read as a date).
@Suite struct CalendarDateTests {
    static let cases: [(String, Bool)] = [
        ("2024-02-29", true), ("2000-02-29", true), ("2024-12-31", true), ("2024-04-30", true),
        ("2023-02-29", false), ("1900-02-29", false), ("2024-02-30", false), ("2024-04-31", false),
        ("2024-11-31", false),
    ]

    @Test(arguments: cases)
    func aDayMustExistInItsMonth(_ date: String, _ valid: Bool) throws {
        #expect(((try? FHIRDate(date)) != nil) == valid)
        #expect(((try? FHIRDateTime(date + "T10:00:00Z")) != nil) == valid)
        #expect(((try? FHIRInstant(date + "T10:00:00.000+01:00")) != nil) == valid)
        let patient = Array(#"{"resourceType":"Patient","birthDate":"\#(date)"}"#.utf8)
        if valid {
            #expect(try FHIRJSONDecoder().decode(Patient.self, from: patient).birthDate?.value?.text == date)
        } else {
            let error = #expect(throws: FHIRDiagnostic.self) {
                try FHIRJSONDecoder().decode(Patient.self, from: patient)
            }
            #expect(
                error?.message.contains("'\(date)' is not a valid FHIR date") == true, "\(String(describing: error))")
            #expect(error?.fhirPath == "Patient.birthDate")
        }
    }
}
