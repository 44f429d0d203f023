import FHIRCore
import Testing

@testable import FHIRJSON
@testable import FHIRXML

/// The fast writers look for characters to escape eight bytes at a time, and at the end of a
/// string at the eight bytes that end it: a character to escape at any position of a string of
/// any length around those sizes is escaped as the Codable path escapes it.
@Suite struct EscapePositionTests {
    /// Each character with its own escape in JSON or XML (not U+0001: XML cannot carry it).
    static let specials: [Character] = ["\"", "\\", "\n", "\t", "\r", "&", "<", ">"]

    static func family(_ text: String) -> AnyResource {
        var patient = Patient()
        patient.name = [HumanName(family: FHIRPrimitive(text))]
        return .patient(patient)
    }

    @Test(arguments: specials)
    func aSpecialCharacterAnywhereIsEscapedAsTheCodablePathEscapesIt(_ special: Character) throws {
        var codableJSON = FHIRJSONEncoder()
        codableJSON.useFastPath = false
        var codableXML = FHIRXMLEncoder()
        codableXML.useFastPath = false
        var wrong: [String] = []
        for length in 1...26 {
            for position in 0..<length {
                var characters = Array("abcdefghijklmnopqrstuvwxyz".prefix(length))
                characters[position] = special
                let resource = Self.family(String(characters))
                if JSONFastWriter.encode(resource) != (try codableJSON.encode(resource)) {
                    wrong.append("JSON \(length) \(position)")
                }
                if XMLFastWriter.encode(resource) != (try codableXML.encode(resource)) {
                    wrong.append("XML \(length) \(position)")
                }
            }
        }
        #expect(wrong.isEmpty, "\(wrong.count) differ, first: \(wrong.prefix(5))")
    }
}
