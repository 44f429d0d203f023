public import FHIRCore

/// An input with its format decided, ready to be read.
///
/// `@unchecked Sendable`: the open reader kept for standard input is handed from the planning
/// thread to the reading thread and used only there.
public struct InputPlan: @unchecked Sendable {
    /// The input (its display name may be changed, say for standard input read into a file).
    public var input: BatchInput
    /// The input format, or nil when the input is unusable (see ``problem``).
    let format: InputFormat?
    /// How the input holds its resources, or nil when unusable.
    let layout: InputLayout?
    /// Why the input cannot be used at all (empty, neither JSON nor XML).
    public let problem: FHIRDiagnostic?
    /// The first bytes, for the reject output of an unusable input.
    let head: [UInt8]
    /// Whether a Bundle input is streamed entry by entry.
    let splitsBundle: Bool
    /// With `--output-dir --split`, one output file per record.
    var filePerRecord = false
    /// Standard input (or another pipe), opened during planning with its first bytes pushed back.
    let openReader: InputReader?

    /// Whether the input gives many records (NDJSON lines, or the entries of a split Bundle).
    var yieldsManyRecords: Bool {
        guard let layout else { return false }
        return layout == .ndjson || (layout.isBundle && splitsBundle)
    }

    /// The input format's name (`json`, `xml`, `ndjson`, …), or nil when the input is unusable.
    public var formatName: String? { format?.name }

    /// Whether records are FHIR XML (a document, or entries of a streamed XML Bundle).
    public var isXML: Bool { format?.framing == .xmlDocument }

    /// Whether the input is a Bundle read entry by entry.
    public var streamsBundleEntries: Bool { layout?.isBundle == true && splitsBundle }
}
