import ExactArithmetic
import FHIRCore
import FHIRJSON
import FHIRXML
import Testing

/// One decimal grammar (FHIR's, which is JSON's number grammar): every reader of a decimal agrees
/// on the edge cases, a leading `+` and leading zeros included.
@Suite struct DecimalGrammarTests {
    static let valid = [
        "0", "-0", "7", "1.50", "0.010", "-0.08", "1e2", "1E+2", "1e-3", "1.0e-245", "1e05", "946073047258080000",
    ]
    static let invalid = [
        "+7", "+0.5", "007", "01.5", "-01", "00", ".5", "-.5", "5.", "1e", "1e+", "1.e3", "-", "--1", "NaN",
        "Infinity", "-Infinity", "1,5", "0x10", "1.2.3", "1e2.5",
    ]

    /// The decimal as a Quantity value in an Observation, in JSON and in XML.
    static func observationJSON(_ text: String) -> [UInt8] {
        Array(#"{"resourceType":"Observation","status":"final","code":{"text":"w"},"valueQuantity":{"value":"#.utf8)
            + Array(text.utf8) + Array("}}".utf8)
    }

    static func observationXML(_ text: String) -> [UInt8] {
        Array(
            (#"<Observation xmlns="http://hl7.org/fhir"><status value="final"/><code><text value="w"/></code>"#
                + #"<valueQuantity><value value="\#(text)"/></valueQuantity></Observation>"#).utf8)
    }

    static func quantityValue(_ observation: Observation) -> String? {
        guard case .quantity(let quantity)? = observation.value else { return nil }
        return quantity.value?.value?.text
    }

    @Test(arguments: valid)
    func everyReaderTakesAValidDecimalAndKeepsItsText(_ text: String) throws {
        #expect(FHIRDecimal.isValid(text))
        #expect(try FHIRDecimal(text).text == text)
        #expect(ExactDecimal(text) != nil)
        let fromJSON = try FHIRJSONDecoder().decode(Observation.self, from: Self.observationJSON(text))
        #expect(Self.quantityValue(fromJSON) == text)
        let fromXML = try FHIRXMLDecoder().decode(Observation.self, from: Self.observationXML(text))
        #expect(Self.quantityValue(fromXML) == text)
    }

    @Test(arguments: invalid)
    func everyReaderRefusesAnInvalidDecimal(_ text: String) {
        #expect(!FHIRDecimal.isValid(text))
        #expect(throws: (any Error).self) { try FHIRDecimal(text) }
        #expect(ExactDecimal(text) == nil)
        #expect(throws: FHIRDiagnostic.self) {
            try FHIRJSONDecoder().decode(Observation.self, from: Self.observationJSON(text))
        }
        #expect(throws: FHIRDiagnostic.self) {
            try FHIRXMLDecoder().decode(Observation.self, from: Self.observationXML(text))
        }
    }

    @Test func theJSONScannerSaysWhatIsWrongWithANumber() {
        let cases = [
            ("+7", "is not a JSON number"), ("007", "has a leading zero, which JSON and FHIR forbid"),
            ("-x", "'-' must be followed by a digit"), ("5.", "a digit must follow the decimal point"),
            ("1e+", "an exponent needs digits"),
        ]
        for (text, message) in cases {
            do {
                _ = try FHIRJSONDecoder().decode(Observation.self, from: Self.observationJSON(text))
                Issue.record("\(text) was accepted")
            } catch {
                #expect(error.code == .invalidNumber, "\(text): \(error)")
                #expect(error.message.contains(message), "\(text): \(error)")
            }
        }
    }
}
