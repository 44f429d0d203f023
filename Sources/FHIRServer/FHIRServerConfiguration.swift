public import FHIRConformance
public import FHIRCore
public import FHIRPackages
public import FHIRValidation
public import LocalRecords

/// What `ivig-fhir serve` listens on, what it reads with, and its limits against hostile or
/// broken clients. Every limit has a default safe for a server on the open network.
public struct FHIRServerConfiguration: Sendable {
    /// The address to listen on: loopback unless told otherwise, so the service is not reachable
    /// from the network by accident.
    public var host = "127.0.0.1"
    /// The port; 0 takes any free one (the chosen port is reported when listening).
    public var port = 8080

    /// The validator `$validate` runs (it carries the dosing rules).
    public var validator = Validator()
    /// The definitions: base R4 and the packages given (`--package`). They type the element model
    /// for the resource types outside the IVIG set, and `$validate` validates from them.
    public var definitions = FHIRPackages.FHIRDefinitions.baseR4
    /// The profiles every resource `$validate` checks is validated against too (besides those
    /// in its `meta.profile` and a `Parameters`' `profile`), and how an extension no package
    /// defines is reported: `validate --profile` and `--unknown-extensions`.
    public var conformance = ConformanceValidator.Options()
    /// The local-record mappings, for `$convert` with `from=local` or `to=local`; nil refuses those.
    public var localMappings: LocalMappings?
    /// What the readers accept in a record (depth, string, entries; and the size of an NDJSON line).
    public var readLimits = FHIRReadLimits.default

    /// The largest request body read whole (a resource or Bundle document), after gzip is undone.
    /// A larger one is answered 413. NDJSON bodies stream, so they are bounded per line by
    /// ``readLimits`` instead.
    public var maxBodyBytes = 64 << 20
    /// Requests worked on at once.
    public var maxConcurrentRequests = 64
    /// Requests that may wait for a slot; past them a request is answered 503 with `Retry-After`.
    public var maxQueuedRequests = 256
    /// The `Retry-After` of a 503, in seconds.
    public var retryAfterSeconds = 1
    /// Connections open at once; past them new connections wait in the listen backlog.
    public var maxConnections = 16_384

    /// A connection without a complete request head for this long is closed: idle between
    /// requests, or sending its head too slowly (slowloris).
    public var idleTimeout: Swift.Duration = .seconds(30)
    /// A request whose body pauses this long between two pieces is dropped.
    public var readTimeout: Swift.Duration = .seconds(10)
    /// A request not answered within this time, from its head to the end of its response, is
    /// dropped (its connection closed).
    public var requestTimeout: Swift.Duration = .seconds(120)
    /// The largest request head (request line and header fields together).
    public var maxHeaderBytes = 32 << 10

    /// The request log's level: `info` writes one line per request to standard error; `warning`,
    /// `error` or `critical` leave it out. One of ``logLevels``.
    public var logLevel = "info"
    /// The levels ``logLevel`` takes.
    public static let logLevels = ["trace", "debug", "info", "notice", "warning", "error", "critical"]

    /// The version reported by `/metadata`.
    public var softwareVersion = "dev"

    /// The defaults: loopback, port 8080, no local mappings.
    public init() {}
}
