import FHIRCore
import Testing

@testable import FHIRBatch

/// Format detection from the first bytes of an input.
@Suite struct LayoutDetectorTests {
    static let cases: [(String, String?, InputLayout)] = [
        (#"{"resourceType":"Patient","id":"a"}"#, nil, .jsonResource),
        ("{\n  \"resourceType\": \"Patient\"\n}\n", nil, .jsonResource),
        ("\u{FEFF}  {\"resourceType\":\"Bundle\",\"type\":\"collection\"}", nil, .jsonBundle),
        ("{\n  \"id\": \"b\",\n  \"resourceType\": \"Bundle\"\n}", nil, .jsonBundle),
        ("{\"resourceType\":\"Patient\"}\n{\"resourceType\":\"Patient\"}\n", nil, .ndjson),
        ("{\"resourceType\":\"Patient\"}\n\n{\"resourceType\":\"Patient\"}", nil, .ndjson),
        ("{\"resourceType\":\"Pat\n{\"resourceType\":\"Patient\"}\n", nil, .ndjson),  // a broken first line
        // NDJSON whose first record is not JSON at all: the records after it are not lost.
        (
            "<Patient xmlns=\"http://hl7.org/fhir\"><id value=\"x\"/></Patient>\n{\"resourceType\":\"Patient\"}\n", nil,
            .ndjson
        ),
        ("\"Patient\"\n{\"resourceType\":\"Patient\"}", nil, .ndjson),
        ("\u{1F}\u{08}garbage\n\n {\"resourceType\":\"Patient\"} \r\n", "ndjson", .ndjson),
        (
            "<?xml version=\"1.0\"?>\n<Patient xmlns=\"http://hl7.org/fhir\">\n  <id value=\"a\"/>\n</Patient>\n", nil,
            .xmlResource
        ),
        // A document laid out one entry per line: its lines start with '{' but are not whole objects.
        (
            "{\"resourceType\":\"Bundle\",\"type\":\"collection\",\"entry\":[\n{\"resource\":{\"resourceType\":\"Patient\"}},\n"
                + "{\"resource\":{\"resourceType\":\"Patient\"}}]}\n", nil, .jsonBundle
        ),
        (#"{"resourceType":"Patient"}"#, "ndjson", .ndjson),  // one line, named as NDJSON
        ("", "ndjson", .ndjson),
        ("<Patient xmlns=\"http://hl7.org/fhir\"/>", nil, .xmlResource),
        ("<?xml version=\"1.0\"?>\n<!-- night export -->\n<Bundle xmlns=\"http://hl7.org/fhir\">", nil, .xmlBundle),
        ("<f:Bundle xmlns:f=\"http://hl7.org/fhir\">", nil, .xmlBundle),
    ]

    @Test(arguments: cases)
    func detects(_ text: String, _ fileExtension: String?, _ expected: InputLayout) throws {
        let bytes = Array(text.utf8)
        #expect(try LayoutDetector.detect(head: bytes, isWholeInput: true, fileExtension: fileExtension) == expected)
    }

    @Test func emptyAndForeignInputsAreUnusable() {
        #expect(throws: FHIRDiagnostic.self) {
            try LayoutDetector.detect(head: [], isWholeInput: true, fileExtension: "json")
        }
        #expect(throws: FHIRDiagnostic.self) {
            try LayoutDetector.detect(head: Array("MRN,dose\n".utf8), isWholeInput: true, fileExtension: nil)
        }
        #expect(throws: FHIRDiagnostic.self) {  // the second line is not a JSON object on its own
            try LayoutDetector.detect(
                head: Array("MRN,dose\n{\"a\":1} x\n".utf8), isWholeInput: true, fileExtension: "ndjson")
        }
    }

    @Test func standardInputIsReadOnlyUntilTheFormatIsClear() {
        #expect(LayoutDetector.isConclusive(Array("{\"a\":1}\n{".utf8)))
        #expect(!LayoutDetector.isConclusive(Array("{\"a\":1}".utf8)))
        #expect(LayoutDetector.isConclusive(Array("<?xml version=\"1.0\"?><Bundle ".utf8)))
        #expect(!LayoutDetector.isConclusive(Array("<?xml version=\"1.0\"?>".utf8)))
        // A broken first line: the next line decides, so it is waited for.
        #expect(!LayoutDetector.isConclusive(Array("\"Patient\"\n{\"resourceType\"".utf8)))
        #expect(LayoutDetector.isConclusive(Array("\"Patient\"\n{\"resourceType\":\"Patient\"}\n".utf8)))
    }
}
