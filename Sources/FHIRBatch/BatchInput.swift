/// One input of a batch: standard input or a file, with the names used to report on it and to
/// name its output.
public struct BatchInput: Sendable, Hashable {
    /// Where the bytes come from.
    public enum Location: Sendable, Hashable {
        case standardInput
        case file(path: String)
    }

    /// Where the bytes come from.
    public var location: Location
    /// The name in messages and rejects: the path as given or found, or `<stdin>`.
    public var displayName: String
    /// The path an `--output-dir` file is named after, without extension: the file's base name,
    /// its path below the directory it was found in, or `stdin`.
    public var outputStem: String

    /// Creates an input.
    public init(location: Location, displayName: String, outputStem: String) {
        self.location = location
        self.displayName = displayName
        self.outputStem = outputStem
    }

    /// Standard input.
    public static let standardInput = BatchInput(location: .standardInput, displayName: "<stdin>", outputStem: "stdin")

    /// The file name extension of a file input, lowercased (`ndjson`), or nil; a gzip'd file's
    /// is the one before `.gz` (`a.ndjson.gz` is `ndjson`).
    var fileExtension: String? {
        guard case .file(let path) = location else { return nil }
        let name = Self.droppingGzipSuffix(path.split(separator: "/").last.map(String.init) ?? path)
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return nil }
        return name[name.index(after: dot)...].lowercased()
    }

    /// `a.ndjson.gz` → `a.ndjson`; other names stay as they are.
    static func droppingGzipSuffix(_ name: String) -> String {
        name.lowercased().hasSuffix(".gz") && name.count > 3 ? String(name.dropLast(3)) : name
    }
}
