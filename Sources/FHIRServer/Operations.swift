import FHIRCore
import FHIRValidation
import HTTPTypes
import Hummingbird
import HummingbirdCore

/// The endpoints: `$convert`, `$validate`, `metadata` and `health`, each answering one request.
/// Bodies are read through ``RequestBodyReader``; resources are read, written and validated
/// through ``FHIRLibrary``.
struct Operations: Sendable {
    let library: FHIRLibrary
    let configuration: FHIRServerConfiguration

    /// The endpoint for a path and method, or the failure (404, 405) that answers it.
    func respond(to request: Request) async throws -> Response {
        let path = Self.normalized(request.uri.path)
        let parts = path.split(separator: "/", omittingEmptySubsequences: true)
        switch parts.count {
        case 1 where parts[0] == "metadata":
            try Self.require([.get, .head], request, path)
            return try metadata(request)
        case 1 where parts[0] == "health":
            try Self.require([.get, .head], request, path)
            return Responses.bytes(Array("ok\n".utf8), contentType: MediaTypes.plainText, gzip: false)
        case 1 where parts[0] == "$convert":
            try Self.require([.post], request, path)
            return try await convert(request)
        case 1 where parts[0] == "$validate":
            try Self.require([.post], request, path)
            return try await validate(request, type: nil)
        case 2 where parts[1] == "$validate" && Self.isResourceTypeName(parts[0]):
            try Self.require([.post], request, path)
            return try await validate(request, type: String(parts[0]))
        default:
            throw ServerFailure.notFound(path)
        }
    }

    // MARK: $convert

    private func convert(_ request: Request) async throws -> Response {
        let query = request.uri.queryParameters
        let fromLocal = query["from"].map { $0 == "local" } ?? false
        let toLocal = query["to"].map { $0 == "local" } ?? false
        for (name, value) in [("from", query["from"]), ("to", query["to"])] {
            if let value, value != "local" {
                throw ServerFailure.badRequest(
                    "\(name)=\(FHIRDiagnostic.printable(String(value))) is not known: the only value is 'local' "
                        + "(FHIR formats are chosen by Content-Type and Accept)")
            }
        }
        if (fromLocal || toLocal) && !library.hasLocalMappings {
            throw ServerFailure(
                .badRequest, .notSupported, rule: "serve-no-mappings",
                "local records are not available: start the server with --mappings DIR")
        }
        if fromLocal && toLocal { throw ServerFailure.badRequest("from=local and to=local together convert nothing") }
        let input = try inputSyntax(request, localRecords: fromLocal)
        let gzip = MediaTypes.acceptsGzip(request.headers[.acceptEncoding])
        let pretty = Self.isPretty(request)

        if toLocal {
            return try await streamLines(
                request, input: input, gzip: gzip, contentType: "application/x-ndjson; charset=utf-8"
            ) {
                try self.localLines(for: $0, syntax: $1, line: $2)
            }
        }
        if input == .ndjson || fromLocal {
            _ = try outputSyntax(request, input: .ndjson, allowed: [.ndjson])
            return try await streamLines(
                request, input: .ndjson, gzip: gzip, contentType: MediaTypes.contentType(.ndjson)
            ) {
                bytes, _, line in
                guard fromLocal else {
                    return [try library.convert(bytes, from: .ndjson, to: .ndjson, pretty: false, line: line)]
                }
                return try library.resources(fromLocalLine: bytes, line: line).map {
                    try library.encode($0, as: .ndjson, pretty: false)
                }
            }
        }
        let output = try outputSyntax(request, input: input, allowed: [.json, .xml, .ndjson])
        let body = try await readWhole(request)
        do throws(FHIRDiagnostic) {
            var bytes = try library.convert(body, from: input, to: output, pretty: pretty)
            if output == .ndjson { bytes.append(0x0A) }
            return Responses.bytes(bytes, contentType: MediaTypes.contentType(output), gzip: gzip)
        } catch {
            throw ServerFailure(.badRequest, findings: [library.finding(for: error)])
        }
    }

    /// The local record lines of a FHIR record: one per resource, a Bundle's entries each; an
    /// entry with no local record (a Patient, say) is an OperationOutcome line in its place, as
    /// `convert --to local` rejects it and writes the others.
    private func localLines(for bytes: [UInt8], syntax: ResourceSyntax, line: Int) throws(FHIRDiagnostic) -> [[UInt8]] {
        let resource = try library.decode(bytes, syntax: syntax, line: line)
        guard case .bundle(let bundle) = resource else { return [try library.localLine(for: resource)] }
        return bundle.entry.enumerated().compactMap { index, entry -> [UInt8]? in
            guard let resource = entry.resource else { return nil }
            do throws(FHIRDiagnostic) {
                return try library.localLine(for: resource)
            } catch {
                var located = error
                // `Observation.status` inside entry 3 is `Bundle.entry[3].resource.ofType(Observation).status`.
                let rest = error.fhirPath.flatMap { path in path.firstIndex(of: ".").map { String(path[$0...]) } } ?? ""
                located.fhirPath = "Bundle.entry[\(index)].resource.ofType(\(resource.resourceType))" + rest
                return Self.outcomeLine([library.finding(for: located)])
            }
        }
    }

    // MARK: $validate

    private func validate(_ request: Request, type: String?) async throws -> Response {
        let input = try inputSyntax(request, localRecords: false)
        let gzip = MediaTypes.acceptsGzip(request.headers[.acceptEncoding])
        if input == .ndjson {
            _ = try outputSyntax(request, input: .ndjson, allowed: [.ndjson])
            return try await streamOutcomes(request, gzip: gzip, type: type)
        }
        let output = try outputSyntax(request, input: input, allowed: [.json, .xml])
        var body = try await readWhole(request)
        var findings: [ValidationFinding] = []
        let bodyType = ResourceTypeSniffer.resourceType(of: body, syntax: input)
        var profile: String?
        if bodyType == "Parameters" { (body, profile) = try unwrapParameters(body, syntax: input) }
        if let type, let actual = ResourceTypeSniffer.resourceType(of: body, syntax: input), actual != type {
            throw ServerFailure.badRequest(
                "the body is a \(FHIRDiagnostic.printable(actual)), but the URL validates a \(type)",
                rule: "serve-type-mismatch")
        }
        // Findings in a resource taken out of a Parameters have no place in the body: their FHIRPath says where.
        var located: [ValidationFinding]
        if let profile {
            if let checked = library.validate(body, syntax: input, profile: profile) {
                located = checked
            } else {
                located = library.validate(body, syntax: input)
                findings.append(Self.unknownProfile(profile))
            }
        } else {
            located = library.validate(body, syntax: input)
        }
        findings = (bodyType == "Parameters" ? located.map(Self.withoutLocation) : located) + findings
        return Responses.outcome(findings, status: .ok, syntax: output, pretty: Self.isPretty(request), gzip: gzip)
    }

    /// The `resource` of a `Parameters` body (of any resource type), written again in its
    /// syntax, and its `profile`.
    private func unwrapParameters(_ body: [UInt8], syntax: ResourceSyntax) throws(ServerFailure) -> ([UInt8], String?) {
        let parameters: ValidateParameters
        do throws(FHIRDiagnostic) {
            parameters = try library.validateParameters(body, syntax: syntax)
        } catch {
            throw ServerFailure(.badRequest, findings: [library.finding(for: error)])
        }
        guard let resource = parameters.resource else {
            throw ServerFailure.badRequest(
                "the Parameters has no 'resource' parameter holding the resource to validate",
                rule: "serve-parameters")
        }
        return (resource, parameters.profile)
    }

    /// A profile the server's definitions do not hold is reported rather than silently ignored.
    private static func unknownProfile(_ profile: String) -> ValidationFinding {
        ValidationFinding(
            .warning, .notSupported, rule: "serve-profile-unknown",
            "the profile \(FHIRDiagnostic.printable(profile)) is not in this server's definitions (base R4 and its "
                + "--package): the resource was checked against FHIR R4 and the IVIG rules only", at: nil)
    }

    private static func withoutLocation(_ finding: ValidationFinding) -> ValidationFinding {
        var moved = finding
        moved.location = nil
        return moved
    }

    /// One OperationOutcome line per NDJSON record, as the records arrive.
    private func streamOutcomes(_ request: Request, gzip: Bool, type: String?) async throws -> Response {
        let library = self.library
        return try await streamLines(request, input: .ndjson, gzip: gzip, contentType: MediaTypes.contentType(.ndjson))
        {
            bytes, _, line in
            var findings = library.validate(bytes, syntax: .ndjson, line: line)
            if let type, let actual = ResourceTypeSniffer.resourceType(of: bytes, syntax: .json), actual != type {
                findings.insert(
                    ValidationFinding(
                        .error, .invalid, rule: "serve-type-mismatch",
                        "the record is a \(FHIRDiagnostic.printable(actual)), but the URL validates a \(type)", at: nil,
                        location: SourceLocation(line: line, column: 1, byteOffset: 0)), at: 0)
            }
            return [Self.outcomeLine(findings)]
        }
    }

    // MARK: Streaming NDJSON

    /// Answers a body of lines with a streamed body of lines: each record becomes the lines
    /// `convert` returns for it, or (when it cannot) one OperationOutcome line saying why, in
    /// the input's order. Nothing but the line being worked on is held.
    private func streamLines(
        _ request: Request, input: ResourceSyntax, gzip: Bool, contentType: String,
        _ convert: @escaping @Sendable (_ bytes: [UInt8], _ syntax: ResourceSyntax, _ line: Int) throws -> [[UInt8]]
    ) async throws -> Response {
        if input != .ndjson {
            // A single document: at most a Bundle's entries, read whole within the body limit.
            let body = try await readWhole(request)
            let lines: [[UInt8]]
            do { lines = try convert(body, input, 1) } catch let error as FHIRDiagnostic {
                lines = [Self.outcomeLine([library.finding(for: error)])]
            }
            let bytes = lines.flatMap { line -> [UInt8] in line + [0x0A] }
            return Responses.bytes(bytes, contentType: contentType, gzip: gzip)
        }
        let coding = try RequestBodyReader.coding(of: request, limit: configuration.maxBodyBytes, streaming: true)
        let requestBody = request.body
        let maxLineBytes = library.limits.maxRecordBytes
        let library = self.library
        var headers = HTTPFields()
        headers[.contentType] = contentType
        if gzip {
            headers[.contentEncoding] = "gzip"
            headers[.vary] = "Accept-Encoding"
        }
        let body = ResponseBody { writer in
            let reader = RequestBodyReader(requestBody, coding: coding, limit: Int.max, streaming: true)
            var lines = NDJSONLineReader(reader, maxLineBytes: maxLineBytes)
            var output = StreamingBodyWriter(writer, gzip: gzip)
            do {
                while let line = try await lines.next() {
                    for piece in Self.answer(line, maxLineBytes: maxLineBytes, library: library, convert) {
                        try await output.write(piece + [0x0A])
                    }
                }
            } catch let failure as ServerFailure {
                // The body broke off (corrupt gzip): the answer says so as its last line.
                try await output.write(Self.outcomeLine(failure.findings) + [0x0A])
            }
            try await output.finish()
        }
        return Response(status: .ok, headers: headers, body: body)
    }

    /// What one line becomes: its converted lines, or an OperationOutcome saying why not.
    private static func answer(
        _ line: NDJSONLineReader.Line, maxLineBytes: Int, library: FHIRLibrary,
        _ convert: (_ bytes: [UInt8], _ syntax: ResourceSyntax, _ line: Int) throws -> [[UInt8]]
    ) -> [[UInt8]] {
        let location = SourceLocation(line: line.number, column: 1, byteOffset: 0)
        if line.isTooLong {
            return [
                outcomeLine([
                    ValidationFinding(
                        .fatal, .tooCostly, rule: "struct-limit",
                        "the line is longer than the limit of \(maxLineBytes) bytes (serve --max-record-bytes)",
                        at: nil,
                        location: location)
                ])
            ]
        }
        if line.bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) {
            return [
                outcomeLine([
                    ValidationFinding(
                        .fatal, .structure, rule: "struct-syntax",
                        "empty line (NDJSON holds one resource on every line)", at: nil,
                        location: location)
                ])
            ]
        }
        do {
            return try convert(line.bytes, .ndjson, line.number)
        } catch let diagnostic as FHIRDiagnostic {
            return [outcomeLine([library.finding(for: diagnostic)])]
        } catch {
            return [
                outcomeLine([
                    ValidationFinding(
                        .error, .exception, rule: "serve-record", "\(error)", at: nil,
                        location: location)
                ])
            ]
        }
    }

    /// An OperationOutcome as one NDJSON line.
    private static func outcomeLine(_ findings: [ValidationFinding]) -> [UInt8] {
        Responses.outcomeBytes(.operationOutcome(OperationOutcome(findings: findings)), syntax: .json, pretty: false)
    }

    // MARK: metadata

    private func metadata(_ request: Request) throws -> Response {
        let output = try outputSyntax(request, input: .json, allowed: [.json, .xml])
        let gzip = MediaTypes.acceptsGzip(request.headers[.acceptEncoding])
        let version = configuration.softwareVersion
        let body =
            output == .xml ? CapabilityStatement.xml(version: version) : CapabilityStatement.json(version: version)
        return Responses.bytes(body, contentType: MediaTypes.contentType(output), gzip: gzip)
    }

    // MARK: Request parts

    /// The body's syntax from `Content-Type` (415 when missing or not FHIR); local records are
    /// NDJSON whatever JSON type they are sent as.
    private func inputSyntax(_ request: Request, localRecords: Bool) throws(ServerFailure) -> ResourceSyntax {
        guard let contentType = request.headers[.contentType], let syntax = MediaTypes.syntax(named: contentType) else {
            throw ServerFailure.unsupportedMediaType(request.headers[.contentType] ?? "(none)")
        }
        if localRecords {
            guard syntax != .xml else { throw ServerFailure.unsupportedMediaType(contentType) }
            return .ndjson
        }
        return syntax
    }

    /// The answer's syntax: `_format`, else `Accept`, else the request's own; 406 when what is
    /// asked for is not among `allowed`.
    func outputSyntax(_ request: Request, input: ResourceSyntax, allowed: [ResourceSyntax]) throws(ServerFailure)
        -> ResourceSyntax
    {
        let offered = allowed.map(MediaTypes.contentType).map { $0.split(separator: ";")[0] }.joined(separator: ", ")
        if let format = request.uri.queryParameters["_format"] {
            guard let syntax = MediaTypes.syntax(named: format), allowed.contains(syntax) else {
                throw ServerFailure.notAcceptable("_format=" + String(format), offered: offered)
            }
            return syntax
        }
        switch MediaTypes.acceptance(request.headers[.accept]) {
        case .any:
            return allowed.contains(input) ? input : allowed[0]
        case .syntaxes(let syntaxes):
            guard let syntax = syntaxes.first(where: allowed.contains) else {
                throw ServerFailure.notAcceptable(request.headers[.accept] ?? "", offered: offered)
            }
            return syntax
        case .nothingWritable:
            throw ServerFailure.notAcceptable(request.headers[.accept] ?? "", offered: offered)
        }
    }

    private func readWhole(_ request: Request) async throws -> [UInt8] {
        let limit = configuration.maxBodyBytes
        let coding = try RequestBodyReader.coding(of: request, limit: limit, streaming: false)
        var reader = RequestBodyReader(request.body, coding: coding, limit: limit, streaming: false)
        return try await reader.collect()
    }

    private static func isPretty(_ request: Request) -> Bool {
        request.uri.queryParameters["_pretty"].map { $0 == "true" } ?? false
    }

    private static func require(_ methods: [HTTPRequest.Method], _ request: Request, _ path: String)
        throws(ServerFailure)
    {
        guard methods.contains(request.method) else {
            throw ServerFailure.methodNotAllowed(request.method, path: path, allowed: methods)
        }
    }

    /// A resource type's name as FHIR spells them: a capital letter, then letters.
    private static func isResourceTypeName(_ name: Substring) -> Bool {
        guard let first = name.first, first.isASCII, first.isUppercase else { return false }
        return name.allSatisfy { $0.isASCII && $0.isLetter }
    }

    /// The path with `%24` read as `$` (some clients escape it).
    private static func normalized(_ path: String) -> String {
        path.contains("%24")
            ? path.split(separator: "%24", omittingEmptySubsequences: false).joined(separator: "$") : path
    }
}
