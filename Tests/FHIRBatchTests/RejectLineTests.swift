import FHIRCore
import Foundation
import Testing

@testable import FHIRBatch

/// The reject output's lines.
@Suite struct RejectLineTests {
    @Test func aRejectLineHoldsTheRecordWhereAndWhy() throws {
        let origin = RecordOrigin(input: "night.ndjson", position: .line(17), byteOffset: 900)
        let error = FHIRDiagnostic(
            code: .wrongType, message: "expected a boolean", fhirPath: "Patient.active",
            location: SourceLocation(line: 17, column: 36, byteOffset: 935))
        let line = RejectWriter.line(
            record: Array(#"{"resourceType":"Patient","active":"yes"}"#.utf8), truncated: false,
            origin: origin, errors: [error])
        #expect(
            String(decoding: line, as: UTF8.self) == #"""
                {"source":"night.ndjson","line":17,"column":36,"code":"wrong-type","message":"expected a boolean","fhirPath":"Patient.active","record":"{\"resourceType\":\"Patient\",\"active\":\"yes\"}"}

                """#)
    }

    @Test func bytesThatAreNotUTF8AreKeptExactlyInBase64() throws {
        let bytes: [UInt8] = Array(#"{"id":"a"#.utf8) + [0xFF, 0x0A] + Array(#""}"#.utf8)
        let origin = RecordOrigin(
            input: "x.ndjson", position: .bundleEntry(index: 3, line: 2, column: 5), byteOffset: 0)
        let line = RejectWriter.line(
            record: bytes, truncated: true, origin: origin,
            errors: [
                FHIRDiagnostic(code: .invalidUTF8, message: "invalid UTF-8"),
                FHIRDiagnostic(
                    code: .syntax, message: "second", location: SourceLocation(line: 2, column: 9, byteOffset: 0)),
            ])
        let object = try #require(JSONSerialization.jsonObject(with: Data(line)) as? [String: Any])
        #expect(object["entry"] as? Int == 3)
        #expect(object["line"] as? Int == 2)  // the record's line when the first error has none
        #expect(object["record"] as? String == "{\"id\":\"a\u{FFFD}\n\"}")
        #expect(Data(base64Encoded: object["recordBase64"] as? String ?? "") == Data(bytes))
        #expect(object["truncated"] as? Bool == true)
        #expect(
            (object["errors"] as? [[String: Any]])?.map { $0["message"] as? String } == ["invalid UTF-8", "second"])
    }
}
