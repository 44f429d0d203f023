import FHIRValidationIO
import Testing

/// How `validate` tells one JSON document from NDJSON when the name does not say (standard input).
@Suite struct ValidationSourceDetectionTests {
    static let cases: [(String, ValidationSource.Format)] = [
        ("{\"resourceType\":\"Patient\"}\n{\"resourceType\":\"Patient\"}\n", .ndjson),
        // A broken record after the first two lines is a finding on its line, not a reason to
        // read the whole input as one (broken) document.
        ("{\"resourceType\":\"Patient\"}\n{\"resourceType\":\"Patient\"}\n{\"resourceType\":\"Pat\n<Patient/>\n", .ndjson),
        ("\u{FEFF}{\"resourceType\":\"Patient\"}\r\n\r\n{\"resourceType\":\"Patient\"}\r\n", .ndjson),
        ("{\"resourceType\":\"Pat\n{\"resourceType\":\"Patient\"}\n", .ndjson),  // a broken first record
        (#"{"id":"}{\"","resourceType":"Patient"}"# + "\n{\"resourceType\":\"Patient\"}", .ndjson),  // brackets in a string
        // A document with an entry per line: no line is a whole object.
        ("{\"resourceType\":\"Bundle\",\"type\":\"collection\",\"entry\":[\n{\"resource\":{\"resourceType\":\"Patient\"}},\n"
            + "{\"resource\":{\"resourceType\":\"Patient\"}}]}\n", .json),
        ("{\"resourceType\":\"Patient\"}\n", .json),
        ("{\n  \"resourceType\": \"Patient\",\n  \"id\": \"a\"\n}\n", .json),
        ("{\n}\n", .json),
        ("<Patient xmlns=\"http://hl7.org/fhir\"/>", .xml),
        ("<?xml version=\"1.0\"?>\n<Patient xmlns=\"http://hl7.org/fhir\">\n  <id value=\"a\"/>\n</Patient>\n", .xml),
        // NDJSON whose first line is not a resource at all: the records after it are read.
        ("<Patient xmlns=\"http://hl7.org/fhir\"/>\n{\"resourceType\":\"Patient\"}\n", .ndjson),
        ("[{\"resourceType\":\"Patient\"}]\n{\"resourceType\":\"Patient\"}\n", .ndjson),
        ("\u{1F}\u{08}garbage\n\n {\"resourceType\":\"Patient\"} \r\n", .ndjson),
        ("MRN,dose\n", .unknown),
        ("MRN,dose\n1,2\n", .unknown),
    ]

    @Test(arguments: cases)
    func detects(_ text: String, _ expected: ValidationSource.Format) {
        #expect(ValidationSource(name: "-", bytes: Array(text.utf8)).format == expected)
    }
}
