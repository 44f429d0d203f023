import Foundation

/// Reading inputs and writing to the standard streams, with failures as typed errors.
enum StandardStreams {
    struct IOFailure: Error, CustomStringConvertible {
        var description: String
    }

    static func writeOut(_ bytes: [UInt8]) throws {
        do {
            try FileHandle.standardOutput.write(contentsOf: Data(bytes))
        } catch {
            throw IOFailure(description: "error: cannot write to standard output: \(error.localizedDescription)")
        }
    }

    static func writeError(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
