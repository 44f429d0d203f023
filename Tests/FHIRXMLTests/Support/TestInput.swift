import FHIRCore
import FHIRXML

/// Small helpers shared by the FHIRXML suites.
enum TestInput {
    /// The bytes of an XML text.
    static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    /// The diagnostic a decode throws, or nil when it succeeds.
    static func decodeError<T: Decodable>(
        _ type: T.Type, _ xml: String, decoder: FHIRXMLDecoder = FHIRXMLDecoder()
    ) -> FHIRDiagnostic? {
        do {
            _ = try decoder.decode(type, from: bytes(xml))
            return nil
        } catch {
            return error
        }
    }

    /// The diagnostic an encode throws, or nil when it succeeds.
    static func encodeError<T: Encodable>(_ value: T) -> FHIRDiagnostic? {
        do {
            _ = try FHIRXMLEncoder().encode(value)
            return nil
        } catch {
            return error
        }
    }
}
