/// Tells FHIR JSON from FHIR XML by the first significant byte, for tools that accept either.
public enum FHIRFormatSniffer {
    /// A FHIR wire format.
    public enum Format: String, Sendable {
        /// FHIR JSON: the input starts with `{` (or `[` for NDJSON-like arrays).
        case json
        /// FHIR XML: the input starts with `<`.
        case xml
    }

    /// The format of `bytes`, judged from the first byte after an optional UTF-8 byte order
    /// mark and whitespace; nil when it is neither `{`, `[` nor `<`.
    public static func detect<Bytes: Collection>(_ bytes: Bytes) -> Format? where Bytes.Element == UInt8 {
        let hasBOM = bytes.starts(with: [0xEF, 0xBB, 0xBF])
        for byte in bytes.dropFirst(hasBOM ? 3 : 0) {
            switch byte {
            case 0x20, 0x09, 0x0A, 0x0D: continue
            case UInt8(ascii: "<"): return .xml
            case UInt8(ascii: "{"), UInt8(ascii: "["): return .json
            default: return nil
            }
        }
        return nil
    }
}
