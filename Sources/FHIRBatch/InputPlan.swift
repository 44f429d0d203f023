import FHIRCore

/// An input with its format decided, ready to be read.
///
/// `@unchecked Sendable`: the open reader kept for standard input is handed from the planning
/// thread to the reading thread and used only there.
struct InputPlan: @unchecked Sendable {
    let input: BatchInput
    /// The input format, or nil when the input is unusable (see ``problem``).
    let format: InputFormat?
    /// How the input holds its resources, or nil when unusable.
    let layout: InputLayout?
    /// Why the input cannot be used at all (empty, neither JSON nor XML).
    let problem: FHIRDiagnostic?
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
}
