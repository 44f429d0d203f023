public import Foundation

/// Runs a program with real pipes and captures what it did.
public enum ProcessRun {
    /// Runs `executable ARGUMENTS` in `directory`, feeding `input`, with `environment` if given.
    public static func run(
        _ executable: URL, _ arguments: [String], input: [UInt8] = [], in directory: URL,
        environment: [String: String]? = nil
    ) throws -> CLIRunner.Result {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = directory
        if let environment { process.environment = environment }
        let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        // Read both pipes while the process runs, so a large output cannot fill a pipe and stall it.
        nonisolated(unsafe) var errorData = Data()
        let errorRead = DispatchSemaphore(value: 0)
        Thread {
            errorData = stderr.fileHandleForReading.readDataToEndOfFile()
            errorRead.signal()
        }.start()
        // A program that stops reading early closes the pipe: the write then fails with EPIPE
        // instead of killing the test process.
        signal(SIGPIPE, SIG_IGN)
        try? stdin.fileHandleForWriting.write(contentsOf: Data(input))
        try? stdin.fileHandleForWriting.close()
        let outputData = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        errorRead.wait()
        return CLIRunner.Result(
            exitCode: process.terminationStatus,
            standardOutput: String(decoding: outputData, as: UTF8.self),
            standardError: String(decoding: errorData, as: UTF8.self),
            outputBytes: [UInt8](outputData))
    }
}
