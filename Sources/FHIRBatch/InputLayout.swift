/// How an input holds its resources, as detected from its first bytes (or declared with `--from`).
public enum InputLayout: String, Sendable, Hashable {
    /// One FHIR JSON resource (not a Bundle).
    case jsonResource
    /// A FHIR JSON Bundle.
    case jsonBundle
    /// Newline-delimited JSON: one record per line (FHIR Bulk Data NDJSON, or local records).
    case ndjson
    /// One FHIR XML resource (not a Bundle).
    case xmlResource
    /// A FHIR XML Bundle.
    case xmlBundle

    /// Whether it is a Bundle, which `--split` (and NDJSON output) streams entry by entry.
    public var isBundle: Bool { self == .jsonBundle || self == .xmlBundle }
}
