/// A failure that stops a run before or while it works, as opposed to a rejected record
/// (which goes to the reject output while the batch goes on).
///
/// `description` is the complete line for standard error, in compiler style
/// (`out/a.xml: error: cannot write: No space left on device`).
public struct BatchError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure, which decides the exit code.
    public enum Kind: Sendable, Hashable {
        /// The options or their combination with the inputs make no sense (exit 64).
        case usage
        /// An input cannot be read or an output cannot be written (exit 74).
        case io
    }

    /// What kind of failure it is.
    public var kind: Kind
    /// The whole message, for a person.
    public var message: String

    /// Creates a failure.
    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }

    /// A usage error about the `convert` command's options.
    static func usage(_ message: String) -> BatchError { BatchError(.usage, "error: " + message) }

    /// An I/O error about a named file (or `<stdin>`/`<stdout>`), with the system's reason.
    static func io(_ name: String, _ what: String, errno code: Int32? = nil) -> BatchError {
        var text = "\(name): error: \(what)"
        if let code { text += ": " + SystemError.describe(code) }
        return BatchError(.io, text)
    }
}
