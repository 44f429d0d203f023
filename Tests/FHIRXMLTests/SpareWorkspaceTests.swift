import FHIRCore
import Testing

@testable import FHIRJSON
@testable import FHIRXML

/// The fast paths keep one parser and one writer of each kind per thread and use them again
/// (`PerThreadSpare`). One left in the middle of a document (the fast path gave up there) or
/// grown by a large one must read and write the next document as a new one would: each test
/// runs on one thread, alternating such documents with a good one, and compares every result
/// with the Codable path's.
@Suite struct SpareWorkspaceTests {
    static let goodXML = """
        <Patient xmlns="http://hl7.org/fhir"><id value="p1"/>\
        <text><status value="generated"/><div xmlns="http://www.w3.org/1999/xhtml"><p>Ann <b>Lee</b></p></div></text>\
        <extension url="http://example.org/a"><valueString value="x &amp; y"/></extension>\
        <name><family value="Lee"/><given value="Ann"/></name><birthDate value="1970-03"/></Patient>
        """

    /// Documents the fast parser gives up on part-way: text inside a FHIR element with elements
    /// still open, a foreign element inside the narrative, a narrative never closed, a document
    /// too large for its buffers to be kept, and one with more element names than a kept
    /// libxml2 dictionary may hold (its context is replaced).
    static let abandonedXML: [String] = [
        #"<Patient xmlns="http://hl7.org/fhir"><name><family value="Lee"/>stray text</name></Patient>"#,
        #"<Patient xmlns="http://hl7.org/fhir"><text><status value="generated"/>"#
            + #"<div xmlns="http://www.w3.org/1999/xhtml"><p><x:y xmlns:x="urn:x"/></p></div></text></Patient>"#,
        #"<Patient xmlns="http://hl7.org/fhir"><text><status value="generated"/>"#
            + #"<div xmlns="http://www.w3.org/1999/xhtml"><p>"#,
        #"<Patient xmlns="http://hl7.org/fhir"><name>"#
            + String(repeating: #"<given value="abcdefghijklmnopqrstuvwxyz"/>"#, count: 20_000) + "</name></Patient>",
        #"<Patient xmlns="http://hl7.org/fhir">"# + (0..<5_000).map { "<n\($0)/>" }.joined() + "</Patient>",
    ]

    @Test func aParserLeftPartWayOrGrownReadsTheNextDocumentLikeANewOne() throws {
        var codable = FHIRXMLDecoder()
        codable.useFastPath = false
        let expected = try codable.decode(AnyResource.self, from: Array(Self.goodXML.utf8))
        #expect(FHIRXMLDecoder().fastDecode(AnyResource.self, from: Array(Self.goodXML.utf8)) == expected)
        for abandoned in Self.abandonedXML {
            _ = FHIRXMLDecoder().fastDecode(AnyResource.self, from: Array(abandoned.utf8))
            let again = FHIRXMLDecoder().fastDecode(AnyResource.self, from: Array(Self.goodXML.utf8))
            #expect(again == expected, "after \(abandoned.prefix(80))")
        }
    }

    /// A Patient each writer gives up on part-way: JSON has no empty object (the `name`), XML
    /// cannot carry U+0001 (the `family`).
    static func abandonedPatient() -> AnyResource {
        var patient = Patient()
        patient.id = "p2"
        patient.name = [HumanName(family: FHIRPrimitive("Lee\u{1}")), HumanName()]
        return .patient(patient)
    }

    @Test func writersLeftPartWayWriteTheNextDocumentLikeNewOnes() throws {
        let good = try FHIRXMLDecoder().decode(AnyResource.self, from: Array(Self.goodXML.utf8))
        var codableJSON = FHIRJSONEncoder()
        codableJSON.useFastPath = false
        var codableXML = FHIRXMLEncoder()
        codableXML.useFastPath = false
        let (json, xml) = (try codableJSON.encode(good), try codableXML.encode(good))
        let abandoned = Self.abandonedPatient()
        #expect(JSONFastWriter.encode(abandoned) == nil)
        #expect(XMLFastWriter.encode(abandoned) == nil)
        for _ in 0..<2 {  // what a writer left behind may show only the second time
            #expect(JSONFastWriter.encode(good) == json)
            #expect(XMLFastWriter.encode(good) == xml)
        }
    }
}
