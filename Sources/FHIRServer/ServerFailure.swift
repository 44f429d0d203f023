import FHIRCore
import FHIRValidation
import HTTPTypes

/// A request the server refuses, with the HTTP status FHIR servers use and the reason, answered
/// as an OperationOutcome (see ``Responses/outcome(_:status:syntax:gzip:headers:)``).
struct ServerFailure: Error, Sendable {
    var status: HTTPResponse.Status
    /// The OperationOutcome's issues: usually one, saying what and why.
    var findings: [ValidationFinding]
    /// Headers the status calls for (`Allow` with 405, `Retry-After` with 503).
    var headers: HTTPFields = [:]

    init(
        _ status: HTTPResponse.Status, _ type: ValidationFinding.IssueType, rule: String, _ message: String,
        headers: HTTPFields = [:]
    ) {
        self.status = status
        self.findings = [ValidationFinding(.error, type, rule: rule, message, at: nil)]
        self.headers = headers
    }

    init(_ status: HTTPResponse.Status, findings: [ValidationFinding]) {
        self.status = status
        self.findings = findings
    }

    static func notFound(_ path: String) -> ServerFailure {
        ServerFailure(
            .notFound, .notFound, rule: "http-not-found",
            "no endpoint at '\(FHIRDiagnostic.printable(path))': this server offers POST /$convert, POST /$validate, "
                + "POST /{type}/$validate, GET /metadata and GET /health")
    }

    static func methodNotAllowed(_ method: HTTPRequest.Method, path: String, allowed: [HTTPRequest.Method])
        -> ServerFailure
    {
        var headers = HTTPFields()
        headers[.allow] = allowed.map(\.rawValue).joined(separator: ", ")
        return ServerFailure(
            .methodNotAllowed, .notSupported, rule: "http-method",
            "\(method.rawValue) is not allowed on \(FHIRDiagnostic.printable(path)); use "
                + allowed.map(\.rawValue).joined(separator: " or "), headers: headers)
    }

    static func notAcceptable(_ accept: String, offered: String) -> ServerFailure {
        ServerFailure(
            .notAcceptable, .notSupported, rule: "http-not-acceptable",
            "the Accept header '\(FHIRDiagnostic.printable(accept))' names no format this operation writes; "
                + "it writes \(offered)")
    }

    static func unsupportedMediaType(_ contentType: String) -> ServerFailure {
        ServerFailure(
            .unsupportedMediaType, .notSupported, rule: "http-content-type",
            "the Content-Type '\(FHIRDiagnostic.printable(contentType))' is not one this server reads: send "
                + "\(MediaTypes.fhirJSON), \(MediaTypes.fhirXML) or \(MediaTypes.fhirNDJSON)")
    }

    static func tooLarge(limit: Int, what: String) -> ServerFailure {
        ServerFailure(
            .contentTooLarge, .tooCostly, rule: "http-body-size",
            "\(what) is larger than the limit of \(limit) bytes (serve --max-body-bytes)")
    }

    static func badRequest(_ message: String, rule: String = "http-bad-request") -> ServerFailure {
        ServerFailure(.badRequest, .invalid, rule: rule, message)
    }

    static func busy(retryAfterSeconds: Int) -> ServerFailure {
        var headers = HTTPFields()
        headers[.retryAfter] = String(retryAfterSeconds)
        return ServerFailure(
            .serviceUnavailable, .incomplete, rule: "http-busy",
            "the server is busy (every request slot and queue place is taken); retry after "
                + "\(retryAfterSeconds) s", headers: headers)
    }
}
