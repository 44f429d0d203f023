public import FHIRCore
import Foundation

/// Everything a `convert` run needs to know; the command line fills it in.
public struct BatchConfiguration: Sendable {
    /// Where converted records go.
    public enum Output: Sendable, Hashable {
        /// Standard output.
        case standardOutput
        /// One file (`--output`), written atomically.
        case file(String)
        /// A directory (`--output-dir`): one file per input named after it, or one per record with `--split`.
        case directory(String)
    }

    /// Files, directories and `-`; none means standard input.
    public var inputs: [String] = []
    /// The `--from` format name; nil to detect it from the content.
    public var from: String?
    /// The `--to` format name.
    public var to: String = "json"
    /// Indent documents for people.
    public var pretty = false
    /// Gather the resources of each output into one collection Bundle.
    public var bundle = false
    /// Write each entry of an input Bundle on its own (implied by line outputs such as NDJSON).
    public var split = false
    /// Where converted records go.
    public var output: Output = .standardOutput
    /// Gzip the output (`--gzip`): standard output, the `--output` file, or every file of the
    /// `--output-dir` (named with `.gz` after its extension). Rejects stay plain.
    public var gzip = false
    /// With `--output-dir` and a line format: one file per resource type and a Bulk Data
    /// `manifest.json` (see `BulkExportOutput`), not one file per input.
    public var groupByType = false
    /// Where rejected records go (NDJSON); nil for standard error only.
    public var rejectsPath: String?
    /// Stop at the first rejected record.
    public var failFast = false
    /// No progress line, no summary, no warnings; record errors only when no reject file keeps them.
    public var quiet = false
    /// Worker threads; every core by default.
    public var jobs = ProcessInfo.processInfo.activeProcessorCount
    /// Show the progress line (the tool sets this when standard error is a terminal).
    public var showProgress = false
    /// What the readers accept (record size, depth, string length, Bundle entries). A record
    /// past a limit is rejected with a reason naming the limit, and the batch goes on. Give the
    /// same limits to ``FormatRegistry/standard(lenient:limits:)`` for ``formats``.
    public var limits = FHIRReadLimits.default
    /// The largest record read (an NDJSON line, a Bundle entry, a document); larger records are
    /// rejected with their start. The same as `limits.maxRecordBytes`.
    public var maxRecordBytes: Int {
        get { limits.maxRecordBytes }
        set { limits.maxRecordBytes = newValue }
    }
    /// The formats `from` and `to` name.
    public var formats = FormatRegistry.standard()
    /// Checks run on every decoded record (`--validate` adds one).
    public var checks: [any RecordCheck] = []
    /// How many record errors are echoed on standard error when a reject file keeps them all.
    public var echoedErrorsWithRejectFile = 10
    /// How messages name the settings and advise on the reader limits; a command-line tool sets
    /// its option names.
    public var names = SettingNames.configuration

    /// Creates a configuration with the defaults.
    public init() {}
}

/// How a run ended, which the tool turns into its exit code.
public enum BatchStatus: Sendable, Hashable, Comparable {
    /// Every record was converted (exit 0).
    case success
    /// Some records were rejected; the rest were converted (exit 1).
    case someRejected
    /// An input was unusable as a whole: not FHIR, a single-resource input that cannot be read,
    /// or a Bundle whose structure breaks (exit 65).
    case unusableInput
    /// Bad usage: options that do not fit together or with the inputs (exit 64).
    case usage
    /// An input could not be read or an output could not be written (exit 74).
    case ioFailure
}

/// What a run did.
public struct BatchReport: Sendable {
    /// How the run ended.
    public var status: BatchStatus
    /// Inputs taken part in the run.
    public var inputs = 0
    /// Records read: always `written + rejected`.
    public var read = 0
    /// Records converted and written.
    public var written = 0
    /// Records rejected.
    public var rejected = 0
    /// Inputs unusable as a whole (also counted as one rejected record each).
    public var unusableInputs = 0
    /// Inputs that could not be read (their records are not counted).
    public var unreadableInputs = 0
    /// Files inside directories skipped for their extension.
    public var skippedFiles = 0
    /// Whether `--fail-fast` stopped the run.
    public var stoppedAtFirstReject = false
    /// Input bytes read.
    public var bytesRead = 0

    /// The summary line for standard error: `summary: 3 inputs, 1005 records read, 1000 written, 5 rejected`.
    public var summaryLine: String { summaryLine(names: .configuration) }

    /// The summary line, naming settings with `names`.
    public func summaryLine(names: SettingNames) -> String {
        var text =
            "summary: \(inputs) input\(inputs == 1 ? "" : "s"), \(read) record\(read == 1 ? "" : "s") read, "
            + "\(written) written, \(rejected) rejected"
        if unusableInputs > 0 { text += "; \(unusableInputs) input\(unusableInputs == 1 ? "" : "s") unusable" }
        if unreadableInputs > 0 { text += "; \(unreadableInputs) input\(unreadableInputs == 1 ? "" : "s") unreadable" }
        if skippedFiles > 0 {
            text += "; \(skippedFiles) file\(skippedFiles == 1 ? "" : "s") skipped (not .json, .ndjson, .jsonl or .xml)"
        }
        if stoppedAtFirstReject {
            text += "; stopped at the first rejected record (\(names(.failFast))), no output written"
        }
        return text
    }
}
