import FHIRBatch
import FHIRCore
import FHIRElementModel
import FHIRPackages
import FHIRValidation
import FHIRValidationIO
import LocalRecords

/// The formats and per-record checks `convert` offers: the one place to register more.
///
/// - Local records (issue 7): `--from local` and `--to local` are a `RecordDecoder` and a
///   `RecordEncoder` over the `LocalRecords` mappings, registered only when a run names them, so
///   other runs do not need a mapping folder.
/// - `convert --validate` (issue 6): a `RecordCheck` running the validator; records with error
///   findings are rejected with them.
enum ConvertFormats {
    /// The name of the local-record format in `--from` and `--to`.
    static let local = "local"

    static func registry(lenient: Bool, localMappings: LocalMappings? = nil, limits: FHIRReadLimits = .default)
        -> FormatRegistry
    {
        var registry = FormatRegistry.standard(lenient: lenient, limits: limits, elements: baseR4)
        if let localMappings {
            let toFHIR = LocalToFHIR(mappings: localMappings, readLimits: limits)
            registry.register(
                InputFormat(
                    name: local, framing: .lines, decoder: LocalRecordDecoder(toFHIR: toFHIR),
                    summary: "the hospital's local IVIG records, one JSON object per line (Mappings/)"))
            registry.register(
                OutputFormat(name: local, fileExtension: "ndjson", summary: "local IVIG records, one per line") { _ in
                    LocalRecordEncoder(toLocal: FHIRToLocal(mappings: localMappings))
                })
        }
        return registry
    }

    /// The element model's definitions for the resource types outside the IVIG set: base R4,
    /// carried in the binary (read on first use).
    static let baseR4 = FHIRLayoutIndex(FHIRDefinitions.baseR4)

    /// `--validate`: the validation step of `validate` (with validation from the definitions
    /// when `conformance` is given) on each record.
    static func checks(validator: Validator?, conformance: ConformanceCheck? = nil, recordsAreFHIR: Bool = true)
        -> [any RecordCheck]
    {
        guard let validator else { return [] }
        let step = RecordValidation(
            validator: validator, limits: conformance?.limits ?? .default, conformance: conformance)
        return [ValidationCheck(step: step, recordsAreFHIR: recordsAreFHIR)]
    }

    /// `json|xml|ndjson|local`, for help texts.
    static var inputNames: [String] { registry(lenient: false).inputs.map(\.name) + [local] }
    static var outputNames: [String] { registry(lenient: false).outputs.map(\.name) + [local] }
}
