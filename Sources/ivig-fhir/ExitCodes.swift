import ArgumentParser

/// The tool's exit codes, shared by every subcommand (documented in the README and `--help`).
enum ExitCodes {
    /// Everything was converted.
    static let success = ExitCode.success
    /// A batch finished, but some records were rejected.
    static let someRejected = ExitCode(1)
    /// Bad usage: an unknown option or a conflicting combination (sysexits EX_USAGE).
    static let usage = ExitCode(64)
    /// The input is not usable: not FHIR, or a resource that cannot be read (sysexits EX_DATAERR).
    static let unusableInput = ExitCode(65)
    /// Reading the input or writing the output failed (sysexits EX_IOERR).
    static let ioFailure = ExitCode(74)
}
