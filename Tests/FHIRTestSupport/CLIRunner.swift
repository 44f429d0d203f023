public import Foundation

/// Runs the built `ivig-fhir` binary as a user would, with real pipes, and captures what it did.
public struct CLIRunner {
    /// What one run produced.
    public struct Result: Sendable {
        public var exitCode: Int32
        public var standardOutput: String
        public var standardError: String
        public var outputBytes: [UInt8]
    }

    public enum LocateError: Error, CustomStringConvertible {
        case notBuilt([String])
        public var description: String {
            if case .notBuilt(let places) = self {
                return "ivig-fhir is not built; looked in \(places.joined(separator: ", ")) (run `swift build` first)"
            }
            return ""
        }
    }

    /// The binary: beside the test bundle (any `--scratch-path`), else in `.build/debug`.
    public static func executable() throws -> URL {
        var places: [URL] = []
        let testBinary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var folder = testBinary.deletingLastPathComponent()
        for _ in 0..<4 {  // the .xctest bundle may be a folder (macOS) or a file (Linux)
            places.append(folder.appendingPathComponent("ivig-fhir"))
            folder = folder.deletingLastPathComponent()
        }
        places.append(SharedCorpus.packageRoot.appendingPathComponent(".build/debug/ivig-fhir"))
        for place in places where FileManager.default.isExecutableFile(atPath: place.path) { return place }
        throw LocateError.notBuilt(places.map(\.path))
    }

    /// Runs `ivig-fhir ARGUMENTS`, feeding `input` on standard input, in the package root.
    public static func run(_ arguments: [String], input: [UInt8] = []) throws -> Result {
        // A tool that stops reading early (at the first reject with --fail-fast, say) closes the
        // pipe: ProcessRun ignores SIGPIPE, so the write fails instead of killing the test process.
        try ProcessRun.run(try executable(), arguments, input: input, in: SharedCorpus.packageRoot)
    }
}
