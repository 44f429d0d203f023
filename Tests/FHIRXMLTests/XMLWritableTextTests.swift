import FHIRCore
import FHIRJSON
import FHIRXML
import Testing

/// JSON strings that XML 1.0 cannot carry are refused when read (found by the round-trip fuzz
/// target: `\u0001` read from JSON, then the XML writer failed). Tab, line feed and carriage
/// return stay allowed.
@Suite struct XMLWritableTextTests {
    @Test(arguments: [
        (#"a\u0001b"#, "U+0001 is a control character"),
        (#"a\u001Fb"#, "U+001F is a control character"),
        (#"a\u0000b"#, "U+0000 is a control character"),
        (#"a\bb"#, "U+0008 is a control character"),
        (#"a\fb"#, "U+000C is a control character"),
        (#"a\uFFFEb"#, "U+FFFE is not a character"),
        ("a\u{FFFF}b", "U+FFFF is not a character"),
    ])
    func refused(_ family: String, _ message: String) throws {
        let json = #"{"resourceType":"Patient","name":[{"family":""# + family + #""}]}"#
        do {
            let value = try FHIRJSONDecoder().decode(AnyResource.self, from: Array(json.utf8))
            Issue.record("expected a rejection, decoded \(value.resourceType)")
        } catch {
            #expect(error.code == .invalidEscape)
            #expect(error.message.hasPrefix(message), "\(error.message)")
            #expect(error.location?.line == 1 && error.location?.column == 47)
        }
    }

    @Test func tabLineFeedAndCarriageReturnStayAndWriteAsXML() throws {
        let json = #"{"resourceType":"Patient","name":[{"family":"a\tb\nc\rd\u0009e"}]}"#
        let patient = try FHIRJSONDecoder().decode(AnyResource.self, from: Array(json.utf8))
        let xml = try FHIRXMLEncoder().encode(patient)
        #expect(try FHIRXMLDecoder().decode(AnyResource.self, from: xml) == patient)
    }
}
