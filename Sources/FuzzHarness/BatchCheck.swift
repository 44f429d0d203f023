import FHIRBatch
import Foundation

/// `convert` over one input file, as an import job runs it: the input is written to a file,
/// converted to NDJSON with a reject file, and nothing may be lost — every record read is in
/// the output or in the rejects, and the files hold as many lines as the report counts.
enum BatchCheck {
    /// One scratch folder per process, reused by every run.
    private static let folder: String = {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("ivig-fuzz-batch-\(getpid())").path
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }()

    static func check(_ bytes: [UInt8]) throws(FuzzFinding) {
        let input = folder + "/input", output = folder + "/output.ndjson", rejects = folder + "/rejects.ndjson"
        for path in [output, rejects] { try? FileManager.default.removeItem(atPath: path) }
        guard FileManager.default.createFile(atPath: input, contents: Data(bytes)) else {
            throw FuzzFinding("could not write the scratch input \(input)")
        }
        var configuration = BatchConfiguration()
        configuration.inputs = [input]
        configuration.to = "ndjson"
        configuration.output = .file(output)
        configuration.rejectsPath = rejects
        configuration.quiet = true
        configuration.jobs = 2
        let report = BatchConverter(configuration).run(standardError: { _ in })

        guard report.status != .ioFailure, report.status != .usage else {
            throw FuzzFinding("convert ended with \(report.status) on a readable input: \(report.summaryLine)")
        }
        guard report.read == report.written + report.rejected else {
            throw FuzzFinding("counts do not add up: \(report.summaryLine)")
        }
        let written = lineCount(output), rejected = lineCount(rejects)
        guard written == report.written, rejected == report.rejected else {
            throw FuzzFinding(
                "the files hold \(written) output and \(rejected) reject lines, the report says \(report.summaryLine)")
        }
    }

    /// The lines in a file (0 when it does not exist), read in blocks with POSIX calls.
    /// (`FileManager.contents(atPath:)` leaks its buffer for an empty file, which
    /// LeakSanitizer reports on every run that rejects everything.)
    private static func lineCount(_ path: String) -> Int {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { return 0 }
        defer { close(descriptor) }
        var block = [UInt8](repeating: 0, count: 64 << 10)
        var lines = 0
        while true {
            let count = block.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            guard count > 0 else { return lines }
            lines += block[..<count].reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
        }
    }
}
