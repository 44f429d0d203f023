import FHIRGzip
import FHIRValidation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import NIOCore

/// Reads a request body as plain bytes: `Content-Encoding: gzip` is inflated as it arrives, and
/// no more than a limit is ever held or expanded (a small gzip body can expand a thousandfold).
struct RequestBodyReader {
    private var iterator: RequestBody.AsyncIterator
    private let inflater: GzipInflater?
    /// The most plain bytes one call to ``collect()`` holds.
    let limit: Int
    private var finished = false

    /// How a body is encoded: plain, or gzip.
    enum Coding: Sendable {
        case identity, gzip
    }

    /// The body's coding, checked before anything is read.
    /// - Parameter streaming: the body streams (NDJSON), so its total size is not limited here.
    /// - Throws: ``ServerFailure`` 415 for a content coding other than gzip or identity, 413 when
    ///   `Content-Length` already says a body to be read whole is over the limit (nothing is read then).
    static func coding(of request: Request, limit: Int, streaming: Bool) throws(ServerFailure) -> Coding {
        let name = request.headers[.contentEncoding]?.trimmingSpaces.lowercased() ?? "identity"
        let coding: Coding
        switch name {
        case "identity", "": coding = .identity
        case "gzip", "x-gzip": coding = .gzip
        default:
            throw ServerFailure(
                .unsupportedMediaType, .notSupported, rule: "http-content-encoding",
                "the Content-Encoding '\(name)' is not supported: send gzip or identity")
        }
        if !streaming, coding == .identity, let length = request.headers[.contentLength].flatMap({ Int($0) }),
            length > limit
        {
            throw ServerFailure.tooLarge(limit: limit, what: "the body (Content-Length: \(length))")
        }
        return coding
    }

    /// A reader of `body`; with `streaming`, the limit bounds nothing (lines are bounded instead).
    init(_ body: RequestBody, coding: Coding, limit: Int, streaming: Bool) {
        self.inflater = coding == .gzip ? GzipInflater(maxOutputBytes: streaming ? Int.max : limit) : nil
        self.iterator = body.makeAsyncIterator()
        self.limit = streaming ? Int.max : limit
    }

    /// The next piece of plain bytes, or nil at the end of the body.
    /// - Throws: ``ServerFailure`` 400 for corrupt gzip data; errors of the connection as they come.
    mutating func next() async throws -> [UInt8]? {
        while !finished {
            guard let buffer = try await iterator.next() else {
                finished = true
                if let inflater {
                    do { try inflater.finish() } catch { throw Self.corrupt(error) }
                }
                return nil
            }
            guard let inflater else { return Array(buffer.readableBytesView) }
            var plain: [UInt8] = []
            do {
                try buffer.withUnsafeReadableBytes { raw in
                    try inflater.write(raw) { plain.append(contentsOf: $0) }
                }
            } catch {
                if inflater.totalOut > limit { throw ServerFailure.tooLarge(limit: limit, what: "the body, inflated,") }
                throw Self.corrupt(error as? GzipError ?? GzipError("\(error)"))
            }
            if !plain.isEmpty { return plain }
        }
        return nil
    }

    /// The whole body.
    /// - Throws: ``ServerFailure`` 413 past the limit, 400 for corrupt gzip data.
    mutating func collect() async throws -> [UInt8] {
        var body: [UInt8] = []
        while let piece = try await next() {
            if body.count + piece.count > limit { throw ServerFailure.tooLarge(limit: limit, what: "the body") }
            body += piece
        }
        return body
    }

    private static func corrupt(_ error: GzipError) -> ServerFailure {
        .badRequest(
            "the body is not valid gzip (Content-Encoding: gzip): \(error.message)", rule: "http-content-encoding")
    }
}

/// Cuts a body into NDJSON lines as it arrives: one line at a time is held, never the body.
///
/// As in `convert`: a line ends at `\n`, a `\r` before it is dropped, the last line needs no line
/// break, a byte order mark before the first line is skipped; an empty line is still a line (the
/// caller rejects it), and a line over the record limit is given as its start, marked too long,
/// while the rest of it streams past unkept.
struct NDJSONLineReader {
    /// One line of the body.
    struct Line {
        /// 1-based.
        var number: Int
        var bytes: [UInt8]
        /// The line was longer than the limit; `bytes` is its start.
        var isTooLong: Bool
    }

    private var body: RequestBodyReader
    private let maxLineBytes: Int
    private var buffer: [UInt8] = []
    private var position = 0
    /// Where the search for the next line break goes on (the bytes before it hold none).
    private var searchFrom = 0
    private var lineNumber = 0
    private var ended = false
    private var skippingTooLong = false

    init(_ body: RequestBodyReader, maxLineBytes: Int) {
        self.body = body
        self.maxLineBytes = maxLineBytes
    }

    /// How much of an over-long line is kept, to say what it was.
    private static let keptHeadBytes = 1024

    mutating func next() async throws -> Line? {
        while true {
            if let newline = buffer[searchFrom...].firstIndex(of: 0x0A) {
                let line = cut(position..<newline)
                position = newline + 1
                searchFrom = position
                if skippingTooLong {
                    skippingTooLong = false
                    continue
                }
                return line
            }
            if ended {
                guard position < buffer.count else { return nil }
                let line = cut(position..<buffer.count)
                position = buffer.count
                searchFrom = position
                if skippingTooLong { return nil }
                return line
            }
            if buffer.count - position > maxLineBytes && !skippingTooLong {
                // Report the over-long line now, then drop the rest of it as it arrives.
                lineNumber += 1
                let head = Array(buffer[position..<(position + Self.keptHeadBytes)])
                buffer.removeAll(keepingCapacity: true)
                (position, searchFrom) = (0, 0)
                skippingTooLong = true
                return Line(number: lineNumber, bytes: head, isTooLong: true)
            }
            if skippingTooLong {
                buffer.removeAll(keepingCapacity: true)
                position = 0
            } else if position > 0 {
                buffer.removeSubrange(0..<position)
                position = 0
            }
            searchFrom = buffer.count
            if let piece = try await body.next() { buffer += piece } else { ended = true }
        }
    }

    private mutating func cut(_ range: Range<Int>) -> Line {
        var bytes = buffer[range]
        if !skippingTooLong { lineNumber += 1 }
        if lineNumber == 1 && bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        if bytes.last == 0x0D { bytes = bytes.dropLast() }
        return Line(number: lineNumber, bytes: Array(bytes), isTooLong: false)
    }
}
