import FHIRCore
import Testing

@testable import FHIRXML

/// What the fast XML parser reads itself and what it leaves to the Codable path. It leaves a
/// standard XML declaration (`<?xml version="1.0" encoding="UTF-8"?>` and its spellings) out of
/// what libxml2 reads: documents with one decode as without it, and one that is malformed only
/// because of what follows it stays refused. It tells `value`, `id` and `url` from attributes
/// named almost like them.
@Suite struct FastXMLParserInputTests {
    static let patient = #"<Patient xmlns="http://hl7.org/fhir"><id value="a"/><active value="true"/></Patient>"#

    static var codable: FHIRXMLDecoder {
        var decoder = FHIRXMLDecoder()
        decoder.useFastPath = false
        return decoder
    }

    @Test(arguments: [
        #"<?xml version="1.0" encoding="UTF-8"?>"#, #"<?xml version="1.0" encoding="utf-8"?>"#,
        "<?xml version='1.0' encoding='UTF-8'?>", #"<?xml version="1.0"?>"#,
        #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#, "",
    ])
    func aDocumentDecodesAsWithoutItsDeclaration(_ declaration: String) throws {
        for separator in ["", "\n", "\r\n  "] {
            let bytes = Array((declaration + separator + Self.patient).utf8)
            let expected = try Self.codable.decode(AnyResource.self, from: bytes)
            let fast = FHIRXMLDecoder().fastDecode(AnyResource.self, from: bytes)
            #expect(fast == expected, "\(declaration)\(separator)")
        }
    }

    /// A second declaration, right after the first or after blanks: an error in XML, which the
    /// fast path must not accept by leaving the first one out.
    @Test(arguments: ["", "\n"])
    func aSecondDeclarationIsStillRefused(_ separator: String) {
        let declaration = #"<?xml version="1.0" encoding="UTF-8"?>"#
        let bytes = Array((declaration + separator + declaration + Self.patient).utf8)
        #expect(throws: FHIRDiagnostic.self) { try Self.codable.decode(AnyResource.self, from: bytes) }
        #expect(FHIRXMLDecoder().fastDecode(AnyResource.self, from: bytes) == nil)
        #expect(throws: FHIRDiagnostic.self) { try FHIRXMLDecoder().decode(AnyResource.self, from: bytes) }
    }

    /// Attributes whose names begin like `value`, `id` and `url` are other attributes: the fast
    /// path leaves the element to the Codable path, which refuses them.
    @Test(arguments: [
        #"<active valu="true"/>"#, #"<active value="true" valueX="1"/>"#, #"<active value="true" i="1"/>"#,
        #"<active value="true" idx="1"/>"#, #"<extension url="http://e" ur="1"><valueInteger value="1"/></extension>"#,
        #"<extension url="http://e" urlx="1"><valueInteger value="1"/></extension>"#,
    ])
    func attributesNamedAlmostLikeFHIRsAreOthers(_ member: String) {
        let bytes = Array(#"<Patient xmlns="http://hl7.org/fhir"><id value="a"/>\#(member)</Patient>"#.utf8)
        #expect(FHIRXMLDecoder().fastDecode(AnyResource.self, from: bytes) == nil)
        #expect(throws: FHIRDiagnostic.self) { try Self.codable.decode(AnyResource.self, from: bytes) }
    }
}
