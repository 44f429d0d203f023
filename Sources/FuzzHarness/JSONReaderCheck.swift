import FHIRCore
import FHIRJSON

/// FHIR JSON in: the strict and the lenient decoder must answer, and the source map used for
/// error positions must not fail on what the scanner accepted.
enum JSONReaderCheck {
    static func check(_ bytes: [UInt8]) {
        _ = try? FHIRJSONDecoder().decode(AnyResource.self, from: bytes)
        _ = try? FHIRJSONDecoder().decodeLeniently(AnyResource.self, from: bytes)
        _ = try? JSONTree.parse(bytes)
        _ = try? FHIRJSONSourceMap(bytes: bytes)
        ElementModelCheck.checkJSON(bytes)
    }
}
