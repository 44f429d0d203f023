import HTTPTypes
public import Hummingbird
import HummingbirdCore
public import Logging
import NIOCore
public import ServiceLifecycle

/// `ivig-fhir serve`: FHIR conversion and validation over HTTP, for integration engines.
///
/// ```swift
/// var configuration = FHIRServerConfiguration()
/// configuration.port = 8080
/// try await FHIRHTTPServer(configuration).run()   // until SIGTERM or SIGINT
/// ```
///
/// On SIGTERM or SIGINT it stops accepting connections, finishes the requests in flight, closes
/// idle connections and returns. It never connects anywhere itself.
public struct FHIRHTTPServer: Sendable {
    /// What it listens on, reads with, and its limits.
    public let configuration: FHIRServerConfiguration
    private let logger: Logger

    /// A server with its configuration; `logger` receives one line per request (never a body),
    /// by default on standard error at the configuration's ``FHIRServerConfiguration/logLevel``.
    public init(_ configuration: FHIRServerConfiguration, logger: Logger? = nil) {
        self.configuration = configuration
        if let logger {
            self.logger = logger
        } else {
            var logger = Logger(label: "ivig-fhir.serve") { LogLines(label: $0) }
            logger.logLevel = Logger.Level(rawValue: configuration.logLevel) ?? .info
            self.logger = logger
        }
    }

    /// Serves until SIGTERM or SIGINT, then shuts down gracefully.
    /// - Parameter onListening: called once listening, with the port (useful with port 0).
    public func run(onListening: @escaping @Sendable (_ host: String, _ port: Int) async -> Void = { _, _ in })
        async throws
    {
        try await makeApplication(onListening: onListening).runService()  // SIGTERM and SIGINT shut it down gracefully
    }

    /// The application, for running inside a caller's own `ServiceGroup`.
    public func makeApplication(
        onListening: @escaping @Sendable (_ host: String, _ port: Int) async -> Void = { _, _ in }
    ) -> some ApplicationProtocol & Service {
        let configuration = self.configuration
        let library = FHIRLibrary(
            validator: configuration.validator, definitions: configuration.definitions,
            limits: configuration.readLimits,
            localMappings: configuration.localMappings, conformance: configuration.conformance)
        let responder = FHIRResponder(
            operations: Operations(library: library, configuration: configuration),
            limiter: RequestLimiter(
                maxActive: configuration.maxConcurrentRequests, maxWaiting: configuration.maxQueuedRequests),
            retryAfterSeconds: configuration.retryAfterSeconds,
            logger: logger)
        let channel = HTTP1Channel.Configuration(
            additionalChannelHandlers: [
                SlowClientGuard(
                    idleTimeout: configuration.idleTimeout, readTimeout: configuration.readTimeout,
                    requestTimeout: configuration.requestTimeout)
            ],
            idleTimeout: nil,
            httpDecoderConfiguration: .init(
                maxHeaderFieldSize: configuration.maxHeaderBytes, maxHeaderListSize: configuration.maxHeaderBytes,
                maxHeaderFieldCount: 200))
        var serverLogger = logger
        // Hummingbird's own per-connection messages stay out of the request log.
        serverLogger.logLevel = max(logger.logLevel, .notice)
        return Application(
            responder: responder,
            server: .http1(configuration: channel),
            configuration: ApplicationConfiguration(
                address: .hostname(configuration.host, port: configuration.port),
                serverName: nil,
                backlog: 1024,
                availableConnectionsDelegate: MaximumAvailableConnections(configuration.maxConnections)),
            onServerRunning: { channel in
                await onListening(configuration.host, channel.localAddress?.port ?? configuration.port)
            },
            logger: serverLogger)
    }
}

/// Answers every request: a slot from the limiter, the endpoint, any refusal as an
/// OperationOutcome (never a 500 for what a client sent), and one log line.
struct FHIRResponder: HTTPResponder {
    typealias Context = BasicRequestContext

    let operations: Operations
    let limiter: RequestLimiter
    let retryAfterSeconds: Int
    let logger: Logger

    func respond(to request: Request, context: BasicRequestContext) async throws -> Response {
        let start = ContinuousClock.now
        var lease: RequestLimiter.Lease?
        var response: Response
        do {
            // Health checks are answered even when every slot is taken.
            if request.uri.path != "/health" {
                guard let granted = await limiter.acquire() else {
                    throw ServerFailure.busy(retryAfterSeconds: retryAfterSeconds)
                }
                lease = granted
            }
            response = try await operations.respond(to: request)
        } catch let failure as ServerFailure {
            response = Responses.failure(
                failure, syntax: errorSyntax(request), gzip: MediaTypes.acceptsGzip(request.headers[.acceptEncoding]))
        } catch {
            // Reading the body failed: the client went away or sent a broken body.
            let failure = ServerFailure.badRequest("the request could not be read: \(error)", rule: "http-read")
            response = Responses.failure(failure, syntax: errorSyntax(request), gzip: false)
        }
        return logged(response, request: request, start: start, lease: lease)
    }

    /// Errors are OperationOutcomes in the format the client asked for, else JSON.
    private func errorSyntax(_ request: Request) -> ResourceSyntax {
        (try? operations.outputSyntax(request, input: .json, allowed: [.json, .xml])) ?? .json
    }

    /// Logs the request once its response is written: at once for a complete body, at the end
    /// of the stream for a streamed one (whose slot is held until then).
    private func logged(
        _ response: Response, request: Request, start: ContinuousClock.Instant,
        lease: RequestLimiter.Lease?
    ) -> Response {
        let method = request.method.rawValue
        let path = request.uri.path
        let status = response.status.code
        if let length = response.headers[.contentLength].flatMap({ Int($0) }) {
            log(method, path, status, bytes: length, start: start, outcome: nil)
            lease?.release()
            return response
        }
        var measured = response
        let body = response.body
        let logger = self.logger
        measured.body = ResponseBody { writer in
            let tally = ByteTally()
            defer { lease?.release() }
            do {
                try await body.write(CountingWriter(base: writer, tally: tally))
                Self.log(logger, method, path, status, bytes: tally.bytes, start: start, outcome: nil)
            } catch {
                Self.log(logger, method, path, status, bytes: tally.bytes, start: start, outcome: "aborted")
                throw error
            }
        }
        return measured
    }

    private func log(
        _ method: String, _ path: String, _ status: Int, bytes: Int, start: ContinuousClock.Instant, outcome: String?
    ) {
        Self.log(logger, method, path, status, bytes: bytes, start: start, outcome: outcome)
    }

    /// One structured line: method, path (without the query), status, bytes, duration. Never a body.
    private static func log(
        _ logger: Logger, _ method: String, _ path: String, _ status: Int, bytes: Int,
        start: ContinuousClock.Instant, outcome: String?
    ) {
        guard logger.logLevel <= .info else { return }
        let elapsed = ContinuousClock.now - start
        let (seconds, attoseconds) = elapsed.components
        let milliseconds = Double(seconds) * 1000 + Double(attoseconds) / 1e15
        var metadata: Logger.Metadata = [
            "method": .string(method),
            "path": .string(path),
            "status": .stringConvertible(status),
            "bytes": .stringConvertible(bytes),
            "duration_ms": .string(String(format3: milliseconds)),
        ]
        if let outcome { metadata["outcome"] = .string(outcome) }
        logger.info("request", metadata: metadata)
    }
}

/// Counts the bytes of a streamed body as they are written.
private final class ByteTally: @unchecked Sendable {
    var bytes = 0
}

private struct CountingWriter: ResponseBodyWriter {
    var base: any ResponseBodyWriter
    let tally: ByteTally

    mutating func write(_ buffer: ByteBuffer) async throws {
        tally.bytes += buffer.readableBytes
        try await base.write(buffer)
    }

    consuming func finish(_ trailingHeaders: HTTPFields?) async throws {
        try await base.finish(trailingHeaders)
    }
}

private extension String {
    /// A number with three decimals, without Foundation's formatter.
    init(format3 value: Double) {
        let thousandths = Int((value * 1000).rounded())
        let fraction = String(thousandths % 1000)
        self = "\(thousandths / 1000)." + String(repeating: "0", count: 3 - fraction.count) + fraction
    }
}
