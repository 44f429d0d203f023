public import Foundation

extension CLIRunner {
    /// Starts `ivig-fhir ARGUMENTS` in the package root without waiting, with standard input
    /// closed and standard output and error going to files in `directory` (so nothing can fill
    /// a pipe while the test watches the process). For tests that signal a running conversion.
    public static func start(_ arguments: [String], logsIn directory: URL) throws -> Process {
        let process = Process()
        process.executableURL = try executable()
        process.arguments = arguments
        process.currentDirectoryURL = SharedCorpus.packageRoot
        process.standardInput = FileHandle.nullDevice
        let out = directory.appendingPathComponent("stdout.log"), err = directory.appendingPathComponent("stderr.log")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        try process.run()
        return process
    }
}

/// IVIG records for batch tests: the example Bundle's resources as NDJSON lines, copied with
/// varied ids and values so no two records are alike.
public enum SampleRecords {
    /// The example Bundle, relative to the package root.
    public static let exampleBundle = "Examples/cidp-induction-bundle.json"

    /// The example's resources as compact NDJSON lines, by the built tool itself.
    public static func exampleLines() throws -> [String] {
        let result = try CLIRunner.run(["convert", "--to", "ndjson", "--quiet", exampleBundle])
        guard result.exitCode == 0 else { throw CocoaError(.fileReadCorruptFile) }
        return result.standardOutput.split(separator: "\n").map(String.init)
    }

    /// `count` records cycling through `base`, copy `n` with `-n` appended to every `id` and
    /// reference, and a body weight that changes with `n`.
    public static func lines(count: Int, from base: [String]) -> [String] {
        (0..<count).map { index in
            let copy = index / base.count
            var line = base[index % base.count]
            line = line.replacingOccurrences(of: #"-cidp-1""#, with: "-cidp-1-\(copy)\"")
            line = line.replacingOccurrences(of: #"4a01""#, with: "4a01-\(copy)\"")
            line = line.replacingOccurrences(of: #""value":72.50"#, with: "\"value\":\(50 + copy % 50).\(copy % 10)5")
            return line
        }
    }

    /// A fresh temporary directory, removed by the caller.
    public static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("ivig-fhir-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Writes `text` to a file named `name` in a fresh temporary directory and returns its path.
    public static func temporaryFile(_ name: String, _ text: String) throws -> String {
        let url = try temporaryDirectory().appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }
}
