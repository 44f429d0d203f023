import Foundation

/// Reading inputs and writing to the standard streams, with failures as typed errors.
enum StandardStreams {
    struct IOFailure: Error, CustomStringConvertible {
        var description: String
    }

    /// The whole of one input (`-` for standard input), for commands that take one document
    /// at a time (`fhirpath`).
    static func read(_ path: String) throws -> [UInt8] {
        if path == "-" {
            return [UInt8](FileHandle.standardInput.readDataToEndOfFile())
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            let reason = FileManager.default.fileExists(atPath: path) ? "cannot be read" : "does not exist"
            throw IOFailure(description: "\(path): error: the input \(reason)")
        }
        return [UInt8](data)
    }

    static func writeOut(_ bytes: [UInt8]) throws {
        do {
            try FileHandle.standardOutput.write(contentsOf: Data(bytes))
        } catch {
            throw IOFailure(description: "error: cannot write to standard output: \(error.localizedDescription)")
        }
    }

    /// Writes a line to standard error, naming the option that changes each reader limit it names.
    static func writeError(_ line: String) {
        FileHandle.standardError.write(Data((LimitOptions.advised(line) + "\n").utf8))
    }
}
