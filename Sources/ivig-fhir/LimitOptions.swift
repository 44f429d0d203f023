import ArgumentParser
import FHIRCore

/// `--max-record-bytes`, `--max-depth`, `--max-string-bytes`, `--max-bundle-entries`: the reader
/// limits, shared by `convert` and `validate`. A bad value is a usage error (exit 64).
struct LimitOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "The largest record: a resource document, an NDJSON line, a Bundle entry (bytes, or K/M/G: 64M = 64 MiB; default 64M).",
            valueName: "size"))
    var maxRecordBytes: ByteSize?

    @Option(
        help: ArgumentHelp(
            "The deepest nesting: JSON objects and arrays, XML elements with the narrative (default 64).",
            valueName: "n"))
    var maxDepth: PositiveCount?

    @Option(
        help: ArgumentHelp(
            "The longest single string, attribute value or text node (bytes, or K/M/G; default 8M).", valueName: "size")
    )
    var maxStringBytes: ByteSize?

    @Option(
        help: ArgumentHelp(
            "The most entries in one Bundle, read whole or streamed; each one past it is rejected (default 1000000).",
            valueName: "n"))
    var maxBundleEntries: PositiveCount?

    /// The option that changes a limit.
    static func option(for limit: FHIRReadLimits.Limit) -> String {
        switch limit {
        case .maxRecordBytes: "--max-record-bytes"
        case .maxDepth: "--max-depth"
        case .maxStringBytes: "--max-string-bytes"
        case .maxBundleEntries: "--max-bundle-entries"
        }
    }

    /// What a message about a limit says on the command line besides the limit's name and value.
    @Sendable static func advice(_ limit: FHIRReadLimits.Limit) -> String? { "change it with \(option(for: limit))" }

    /// A message as the command line prints it: `(limit maxDepth = 64)` from the library becomes
    /// `(limit maxDepth = 64; change it with --max-depth)`.
    static func advised(_ message: String) -> String { FHIRReadLimits.advising(message, with: advice) }

    /// The limits, the defaults changed where an option was given.
    var limits: FHIRReadLimits {
        var limits = FHIRReadLimits.default
        if let maxRecordBytes { limits.maxRecordBytes = maxRecordBytes.bytes }
        if let maxDepth { limits.maxDepth = maxDepth.value }
        if let maxStringBytes { limits.maxStringBytes = maxStringBytes.bytes }
        if let maxBundleEntries { limits.maxBundleEntries = maxBundleEntries.value }
        return limits
    }
}

/// A size in bytes on the command line: `1048576`, `512K`, `64M`, `1G` (binary units).
struct ByteSize: ExpressibleByArgument {
    let bytes: Int

    init?(argument: String) {
        guard let bytes = FHIRReadLimits.parseByteSize(argument) else { return nil }
        self.bytes = bytes
    }
}

/// A positive whole number on the command line (a depth, a number of entries).
struct PositiveCount: ExpressibleByArgument {
    let value: Int

    init?(argument: String) {
        guard let value = FHIRReadLimits.parseCount(argument) else { return nil }
        self.value = value
    }
}
