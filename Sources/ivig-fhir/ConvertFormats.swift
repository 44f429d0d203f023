import FHIRBatch

/// The formats and per-record checks `convert` offers: the one place to register more.
///
/// - Local records (issue 7): register an `InputFormat` named `local` (framing `.lines`, a
///   `RecordDecoder` that maps one local JSON line to FHIR resources) and an `OutputFormat`
///   named `local` (a `RecordEncoder` with shape `.lines`) in ``registry(lenient:)``;
///   `--from local` and `--to local` then work, with rejects, ordering and atomic output.
/// - `convert --validate` (issue 6): append a `RecordCheck` in ``checks(validate:)``; records
///   with error findings are rejected with them.
enum ConvertFormats {
    static func registry(lenient: Bool) -> FormatRegistry {
        let registry = FormatRegistry.standard(lenient: lenient)
        return registry
    }

    static func checks() -> [any RecordCheck] {
        []
    }

    /// `json|xml|ndjson`, for help texts.
    static var inputNames: [String] { registry(lenient: false).inputs.map(\.name) }
    static var outputNames: [String] { registry(lenient: false).outputs.map(\.name) }
}
