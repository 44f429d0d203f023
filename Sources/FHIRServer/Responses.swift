import FHIRCore
import FHIRGzip
import FHIRJSON
import FHIRValidation
import FHIRXML
import HTTPTypes
import Hummingbird
import HummingbirdCore
import NIOCore

/// Building responses: FHIR bodies with their `Content-Type`, gzip when the client takes it.
enum Responses {
    /// A complete body, compressed when `gzip` (small bodies are sent as they are).
    static func bytes(
        _ body: [UInt8], contentType: String, status: HTTPResponse.Status = .ok, gzip: Bool,
        headers: HTTPFields = [:]
    ) -> Response {
        var fields = headers
        fields[.contentType] = contentType
        var payload = body
        if gzip {
            fields[.vary] = "Accept-Encoding"
            if body.count >= minimumGzipBytes {
                payload = Gzip.compress(body, level: 1)
                fields[.contentEncoding] = "gzip"
            }
        }
        fields[.contentLength] = String(payload.count)
        return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(bytes: payload)))
    }

    /// Below this, gzip's header and trailer cost more than they save.
    static let minimumGzipBytes = 256

    /// An OperationOutcome of `findings` in `syntax` (NDJSON answers get JSON).
    static func outcome(
        _ findings: [ValidationFinding], status: HTTPResponse.Status, syntax: ResourceSyntax,
        pretty: Bool = false, gzip: Bool, headers: HTTPFields = [:]
    ) -> Response {
        let documentSyntax: ResourceSyntax = syntax == .xml ? .xml : .json
        let resource = AnyResource.operationOutcome(OperationOutcome(findings: findings))
        let body = outcomeBytes(resource, syntax: documentSyntax, pretty: pretty)
        return bytes(
            body, contentType: MediaTypes.contentType(documentSyntax), status: status, gzip: gzip, headers: headers)
    }

    /// The OperationOutcome's bytes. The encoders cannot fail on an OperationOutcome built from
    /// findings (every string is made printable); the fallback keeps a 500 from ever answering.
    static func outcomeBytes(_ resource: AnyResource, syntax: ResourceSyntax, pretty: Bool) -> [UInt8] {
        do {
            switch syntax {
            case .xml: return try FHIRXMLEncoder(pretty: pretty).encode(resource)
            case .json, .ndjson: return try FHIRJSONEncoder(pretty: pretty).encode(resource)
            }
        } catch {
            return Array(#"{"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"exception"}]}"#.utf8)
        }
    }

    /// A refused request as its OperationOutcome.
    static func failure(_ failure: ServerFailure, syntax: ResourceSyntax, gzip: Bool) -> Response {
        outcome(failure.findings, status: failure.status, syntax: syntax, gzip: gzip, headers: failure.headers)
    }
}

/// A response body written piece by piece (NDJSON answers), gzip-compressed on the way when the
/// client takes it. Pieces are gathered into writes of about 64 KiB.
struct StreamingBodyWriter {
    private var writer: any ResponseBodyWriter
    private let deflater: GzipDeflater?
    private var pending: [UInt8] = []
    private static let flushBytes = 64 << 10

    init(_ writer: any ResponseBodyWriter, gzip: Bool) {
        self.writer = writer
        self.deflater = gzip ? GzipDeflater(level: 1) : nil
        pending.reserveCapacity(Self.flushBytes + 4096)
    }

    /// Adds a piece (a record's line, with its line break).
    mutating func write(_ piece: [UInt8]) async throws {
        pending += piece
        if pending.count >= Self.flushBytes { try await flush() }
    }

    /// Sends what is gathered.
    mutating func flush() async throws {
        guard !pending.isEmpty else { return }
        let out = compress(pending, final: false)
        pending.removeAll(keepingCapacity: true)
        if !out.isEmpty { try await writer.write(ByteBuffer(bytes: out)) }
    }

    /// Sends the rest and ends the body.
    mutating func finish() async throws {
        let out = compress(pending, final: true)
        if !out.isEmpty { try await writer.write(ByteBuffer(bytes: out)) }
        try await writer.finish(nil)
    }

    private func compress(_ bytes: [UInt8], final: Bool) -> [UInt8] {
        guard let deflater else { return bytes }
        var out: [UInt8] = []
        bytes.withUnsafeBytes { raw in deflater.write(raw) { out.append(contentsOf: $0) } }
        if final { deflater.finish { out.append(contentsOf: $0) } }
        return out
    }
}
