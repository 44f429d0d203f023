import ArgumentParser
import FHIRCore
import FHIRJSON
import FHIRXML

/// The FHIR wire formats the tool reads and writes, each a call into its codec.
enum WireFormat: String, ExpressibleByArgument, CaseIterable {
    case json, xml

    /// The format given, or the one the content shows (`{` JSON, `<` XML).
    static func of(_ bytes: [UInt8], declared: WireFormat?) throws(FHIRDiagnostic) -> WireFormat {
        if let declared { return declared }
        switch FHIRFormatSniffer.detect(bytes) {
        case .json?: return .json
        case .xml?: return .xml
        case nil:
            throw FHIRDiagnostic(
                code: .syntax,
                message: "the input is neither FHIR JSON (starting with '{') nor FHIR XML (starting with '<')",
                location: SourceLocation(line: 1, column: 1, byteOffset: 0))
        }
    }

    /// Decodes a resource; lenient decoding returns the dropped content as warnings.
    func decode(_ bytes: [UInt8], lenient: Bool) throws(FHIRDiagnostic) -> (AnyResource, [FHIRDiagnostic]) {
        switch (self, lenient) {
        case (.json, false): return (try FHIRJSONDecoder().decode(AnyResource.self, from: bytes), [])
        case (.json, true): return try FHIRJSONDecoder().decodeLeniently(AnyResource.self, from: bytes)
        case (.xml, false): return (try FHIRXMLDecoder().decode(AnyResource.self, from: bytes), [])
        case (.xml, true): return try FHIRXMLDecoder().decodeLeniently(AnyResource.self, from: bytes)
        }
    }

    func encode(_ resource: AnyResource, pretty: Bool) throws(FHIRDiagnostic) -> [UInt8] {
        switch self {
        case .json: return try FHIRJSONEncoder(pretty: pretty).encode(resource)
        case .xml: return try FHIRXMLEncoder(pretty: pretty).encode(resource)
        }
    }
}
