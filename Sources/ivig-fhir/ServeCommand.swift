import ArgumentParser
import FHIRConformance
import FHIRServer
import FHIRValidation
import FHIRValidationIO
import LocalRecords

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `ivig-fhir serve`: conversion and validation over HTTP. A thin layer over `FHIRHTTPServer` (module FHIRServer).
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve $convert and $validate over HTTP for integration engines (Mirth, Rhapsody, logic apps).",
        discussion: """
            ENDPOINTS (FHIR REST conventions; every error is an OperationOutcome):
              POST /$convert            a resource, Bundle or NDJSON (streamed) in the Content-Type, \
            out in the Accept or _format; _pretty=true; from=local / to=local for local records
              POST /$validate           a resource, a Parameters with resource (and profile), or \
            NDJSON (one OperationOutcome per record, streamed); 200 with the OperationOutcome
              POST /{type}/$validate    the same, checking that the body is a {type}
              GET  /metadata            the CapabilityStatement
              GET  /health              200 'ok' for load balancers

            Statuses: 400 unreadable, 404, 405, 406 unsupported Accept, 413 body over \
            --max-body-bytes, 415 unsupported Content-Type or Content-Encoding, 503 with \
            Retry-After when --max-concurrent and --max-queued are full. Request bodies may be \
            gzip (Content-Encoding); answers are gzip when Accept-Encoding takes it.

            It listens on loopback unless --host says otherwise and never connects anywhere. \
            SIGTERM or SIGINT stop it gracefully: no new connections, the requests in flight \
            finish, exit 0. One line per request goes to standard error (method, path, status, \
            bytes, duration; never a body).

            Examples:
              ivig-fhir serve --port 8080
              curl -s -H 'Content-Type: application/fhir+json' -H 'Accept: application/fhir+xml' \\
                --data-binary @order.json 'http://127.0.0.1:8080/$convert?_pretty=true'
            """
    )

    @Option(help: "The address to listen on (default: loopback only).")
    var host = "127.0.0.1"

    @Option(help: "The port to listen on (0: any free port, reported on standard output).")
    var port = 8080

    @Option(
        help: ArgumentHelp(
            "The dosing rules file for $validate (default: Mappings/ivig-dosing-rules.json).", valueName: "file"),
        completion: .file())
    var rules: String?

    @Option(
        help: ArgumentHelp(
            "The local-record mapping folder for from=local / to=local (default: Mappings/ when found).",
            valueName: "dir"),
        completion: .directory)
    var mappings: String?

    @Option(
        help: ArgumentHelp(
            "The largest body read whole (bytes, or K/M/G; default 64M); NDJSON is limited per line.",
            valueName: "size"))
    var maxBodyBytes: ByteSize?

    @Option(help: ArgumentHelp("Requests worked on at once (default 64).", valueName: "n"))
    var maxConcurrent: PositiveCount?

    @Option(
        help: ArgumentHelp(
            "Requests that may wait for a slot before the server answers 503 (default 256).", valueName: "n"))
    var maxQueued: Int?

    @Option(
        help: ArgumentHelp("Seconds a connection may go without a complete request head (default 30).", valueName: "s"))
    var idleTimeout: PositiveCount?

    @Option(help: ArgumentHelp("Seconds a request body may pause between two pieces (default 10).", valueName: "s"))
    var readTimeout: PositiveCount?

    @Option(
        help: ArgumentHelp(
            "Seconds a request may take, from its head to the end of its answer (default 120).",
            valueName: "s"))
    var requestTimeout: PositiveCount?

    @Option(
        help: ArgumentHelp(
            "The request log: info (a line per request), warning, error (default info).", valueName: "level"))
    var logLevel = "info"

    @OptionGroup(title: "Limits")
    var limitOptions: LimitOptions

    @OptionGroup(title: "Definitions")
    var packageOptions: PackageOptions

    @OptionGroup(title: "Profiles and extensions")
    var conformanceOptions: ConformanceOptions

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be from 0 to 65535") }
        if let maxQueued, maxQueued < 0 { throw ValidationError("--max-queued must be 0 or more") }
        guard FHIRServerConfiguration.logLevels.contains(logLevel) else {
            throw ValidationError(
                "--log-level must be one of \(FHIRServerConfiguration.logLevels.joined(separator: ", "))")
        }
    }

    func run() async throws {
        var configuration = FHIRServerConfiguration()
        configuration.host = host
        configuration.port = port
        configuration.readLimits = limitOptions.limits
        configuration.validator = try loadValidator()
        configuration.definitions = try packageOptions.definitions()
        configuration.conformance = try conformanceOptions.validator(definitions: configuration.definitions).options
        configuration.localMappings = try loadMappings()
        if let maxBodyBytes { configuration.maxBodyBytes = maxBodyBytes.bytes }
        if let maxConcurrent { configuration.maxConcurrentRequests = maxConcurrent.value }
        if let maxQueued { configuration.maxQueuedRequests = maxQueued }
        if let idleTimeout { configuration.idleTimeout = .seconds(idleTimeout.value) }
        if let readTimeout { configuration.readTimeout = .seconds(readTimeout.value) }
        if let requestTimeout { configuration.requestTimeout = .seconds(requestTimeout.value) }
        configuration.logLevel = logLevel
        configuration.softwareVersion = BuildInfo.version
        do {
            try await FHIRHTTPServer(configuration).run { host, port in
                // The first line on standard output: scripts and tests read the port from it.
                print("ivig-fhir serve: listening on http://\(host):\(port)")
                fflush(nil)
            }
        } catch {
            StandardStreams.writeError("error: the server stopped: \(error)")
            throw ExitCodes.ioFailure
        }
    }

    private func loadValidator() throws -> Validator {
        guard let path = rules ?? DosingRules.defaultPath() else {
            StandardStreams.writeError(
                "error: no dosing rules file: pass --rules FILE or set IVIG_FHIR_RULES "
                    + "(looked for Mappings/\(DosingRules.defaultFileName))"
            )
            throw ExitCodes.usage
        }
        do {
            return Validator(rules: try DosingRules(contentsOf: path))
        } catch {
            StandardStreams.writeError("\(path): error: \(error)")
            throw ExitCodes.ioFailure
        }
    }

    /// The mappings when named or found; without them, local records are refused per request.
    private func loadMappings() throws -> LocalMappings? {
        let found =
            mappings
            ?? MappingsSearch.folder(holding: LocalMappings.manifestName, environmentVariable: "IVIG_FHIR_MAPPINGS")
        guard let directory = found else { return nil }
        do {
            return try LocalMappings.load(directory: directory)
        } catch {
            StandardStreams.writeError("\(directory): error: \(error.summary)")
            throw ExitCodes.ioFailure
        }
    }
}
