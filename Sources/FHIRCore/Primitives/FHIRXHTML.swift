/// The narrative `div`: XHTML kept as its text, `<div xmlns="http://www.w3.org/1999/xhtml">…</div>`.
///
/// Wire format: a JSON string; in XML a real XHTML subtree. Well-formedness is checked by the
/// XML codec (which parses it) and the validator, not here.
public struct FHIRXHTML: Codable, Hashable, Sendable, ExpressibleByStringLiteral {
    /// The XHTML text.
    public var text: String

    /// Wraps XHTML text.
    public init(_ text: String) { self.text = text }

    public init(stringLiteral value: String) { text = value }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let fhir = container as? any FHIRSingleValueDecodingContainer {
            text = try fhir.decodeXHTML()
        } else {
            text = try container.decode(String.self)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        if var fhir = container as? any FHIRSingleValueEncodingContainer {
            try fhir.encodeXHTML(text)
        } else {
            try container.encode(text)
        }
    }
}
