import FHIRGzip
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Clients that are slow, broken or malicious: each is answered or dropped as specified, and the
/// server goes on answering the others. Timeouts are set to a second so the suite stays fast.
@Suite("serve: hostile clients", .serialized)
struct HostileClientTests {
    static let quick: Result<ServerProcess, any Error> = Result {
        let server = try ServerProcess([
            "--max-body-bytes", "1M", "--idle-timeout", "1", "--read-timeout", "1", "--request-timeout", "4",
        ])
        server.killAtExit()
        return server
    }

    let server: ServerProcess

    init() throws { server = try Self.quick.get() }

    private func stillServes() throws {
        let health = try Curl.request("GET", server.base + "/health")
        #expect(health.status == 200)
    }

    @Test("an oversized body is answered 413 (declared, streamed without a length, or a gzip bomb)")
    func oversizedBodies() throws {
        // Declared too large: answered before any of it is read.
        let declared = try RawConnection(port: server.port)
        declared.send(
            "POST /$convert HTTP/1.1\r\nHost: x\r\nContent-Type: application/fhir+json\r\n"
                + "Content-Length: 104857600\r\n\r\n"
        )
        let early = declared.read(until: "\r\n\r\n")
        #expect(early.hasPrefix("HTTP/1.1 413"))

        // Chunked, with no length: cut off at the limit.
        let chunked = try Curl.request(
            "POST", server.base + "/$convert",
            headers: ["Content-Type": "application/fhir+json", "Transfer-Encoding": "chunked"],
            body: [UInt8](repeating: 0x20, count: 3 << 20))
        #expect(chunked.status == 413)

        // 10 MB of spaces in 10 KB of gzip: refused once it expands past the limit.
        let bomb = Gzip.compress([UInt8](repeating: 0x20, count: 10 << 20), level: 9)
        #expect(bomb.count < 100_000)
        let inflated = try Curl.request(
            "POST", server.base + "/$convert",
            headers: ["Content-Type": "application/fhir+json", "Content-Encoding": "gzip"], body: bomb)
        #expect(inflated.status == 413)
        #expect(try ruleIDs(inflated.json()) == ["http-body-size"])
        try stillServes()
    }

    @Test("a body sent slowly is dropped at the read timeout; a head sent slowly at the idle timeout")
    func slowClients() throws {
        let start = Date()
        let slowBody = try RawConnection(port: server.port)
        slowBody.send(
            "POST /$convert HTTP/1.1\r\nHost: x\r\nContent-Type: application/fhir+json\r\nContent-Length: 1000\r\n\r\n{"
        )
        let slowHead = try RawConnection(port: server.port)
        slowHead.send("POST /$convert HTTP/1.1\r\nHost: x\r\n")
        try stillServes()  // while both hang
        #expect(slowHead.send("X-Slow: 1\r\n"))
        let bodyEnd = slowBody.readAll()
        let headEnd = slowHead.readAll()
        #expect(bodyEnd.closed)
        #expect(headEnd.closed)
        #expect(Date().timeIntervalSince(start) < 8)
        try stillServes()
    }

    @Test("a request that trickles a byte at a time past the request time limit is dropped")
    func trickle() throws {
        let start = Date()
        let connection = try RawConnection(port: server.port)
        connection.send(
            "POST /$convert HTTP/1.1\r\nHost: x\r\nContent-Type: application/fhir+json\r\nContent-Length: 1000\r\n\r\n")
        var open = true
        while open, Date().timeIntervalSince(start) < 10 {
            open = connection.send(" ")
            Thread.sleep(forTimeInterval: 0.5)  // within the read timeout each time
        }
        #expect(!open || connection.readAll().closed)
        #expect(Date().timeIntervalSince(start) < 9)
        try stillServes()
    }

    @Test("malformed HTTP is answered 400 and the connection closed")
    func malformedHTTP() throws {
        for garbage in [
            "GARBAGE\r\n\r\n", "POST /$convert HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n",
            "GET / HTTP/1.1\r\nBad Header Without Colon\r\n\r\n",
            "GET /health HTTP/1.1\r\nHost: x\r\nX-Big: " + String(repeating: "a", count: 64 << 10) + "\r\n\r\n",
        ] {
            let connection = try RawConnection(port: server.port)
            connection.send(garbage)
            let (bytes, closed) = connection.readAll()
            let text = String(decoding: bytes, as: UTF8.self)
            #expect(text.hasPrefix("HTTP/1.1 400") || (text.isEmpty && closed), "\(garbage.prefix(40))")
            #expect(closed)
        }
        try stillServes()
    }

    @Test("2,000 idle connections: others are still served, and the idle ones are closed at the idle timeout")
    func idleConnections() throws {
        // 2,000 here keeps the suite quick and within a CI runner's file limit; the benchmark
        // script holds 10,000 (Benchmarks/serve-load.sh).
        var idle: [RawConnection] = []
        for _ in 0..<2000 { idle.append(try RawConnection(port: server.port, receiveTimeout: 5)) }
        let answer = try Curl.request(
            "POST", server.base + "/$convert?_format=xml",
            headers: ["Content-Type": "application/fhir+json"], body: try Fixtures.bytes(Fixtures.bundle))
        #expect(answer.status == 200)
        Thread.sleep(forTimeInterval: 1.5)
        let closed = idle.prefix(50).filter { $0.readAll().closed }.count
        #expect(closed == 50)
        try stillServes()
    }

    @Test("a billion-laughs XML body is refused (400) without expanding it")
    func billionLaughs() throws {
        var doctype = "<!DOCTYPE Patient [<!ENTITY lol \"lol\">"
        doctype += "<!ENTITY lol1 \"" + String(repeating: "&lol;", count: 10) + "\">"
        for level in 2...9 {
            doctype += "<!ENTITY lol\(level) \"" + String(repeating: "&lol\(level - 1);", count: 10) + "\">"
        }
        doctype += "]>"
        let body =
            "<?xml version=\"1.0\"?>" + doctype
            + "<Patient xmlns=\"http://hl7.org/fhir\"><id value=\"&lol9;\"/></Patient>"
        let start = Date()
        for path in ["/$convert?_format=json", "/$validate"] {
            let answer = try Curl.request(
                "POST", server.base + path,
                headers: ["Content-Type": "application/fhir+xml", "Accept": "application/fhir+json"],
                body: Array(body.utf8))
            #expect(path == "/$validate" ? answer.status == 200 : answer.status == 400)
            #expect(try answer.json()["resourceType"] as? String == "OperationOutcome")
            #expect(!answer.text.contains("lollollol"))
        }
        #expect(Date().timeIntervalSince(start) < 5)
        try stillServes()
    }
}

/// The bounded queue (503 with Retry-After) and a graceful shutdown with requests in flight,
/// each on a server of its own.
@Suite("serve: load and shutdown")
struct LoadAndShutdownTests {
    /// An NDJSON `$validate` whose body is sent in chunks, holding its slot until it ends.
    private static func openStream(_ port: Int) throws -> RawConnection {
        let connection = try RawConnection(port: port, receiveTimeout: 20)
        connection.send(
            "POST /$validate HTTP/1.1\r\nHost: x\r\nContent-Type: application/fhir+ndjson\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n")
        return connection
    }

    private static let record = Array(#"{"resourceType":"Patient","id":"p1"}"#.utf8) + [0x0A]

    @Test("when every slot and queue place is taken, 503 with Retry-After; the held request then finishes")
    func busy() throws {
        let server = try ServerProcess(["--max-concurrent", "1", "--max-queued", "0"])
        let holder = try Self.openStream(server.port)
        holder.send(chunk(Self.record))
        Thread.sleep(forTimeInterval: 0.5)
        let refused = try Curl.request("GET", server.base + "/metadata")
        #expect(refused.status == 503)
        #expect(refused.headers["retry-after"] == "1")
        #expect(try ruleIDs(refused.json()) == ["http-busy"])
        #expect(try Curl.request("GET", server.base + "/health").status == 200)
        holder.send(chunk(Self.record) + Array("0\r\n\r\n".utf8))
        let answer = holder.read(until: "\r\n0\r\n\r\n")
        #expect(answer.hasPrefix("HTTP/1.1 200"))
        #expect(answer.components(separatedBy: "OperationOutcome").count - 1 == 2)
        #expect(try Curl.request("GET", server.base + "/metadata").status == 200)
    }

    @Test("SIGTERM during requests in flight: all of them finish, new connections are refused, exit 0")
    func gracefulShutdown() throws {
        let server = try ServerProcess()
        let streams = try (0..<8).map { _ in try Self.openStream(server.port) }
        for stream in streams { stream.send(chunk(Self.record)) }
        Thread.sleep(forTimeInterval: 0.3)
        kill(server.process.processIdentifier, SIGTERM)
        Thread.sleep(forTimeInterval: 0.3)
        #expect(server.process.isRunning)  // still finishing the eight
        for stream in streams { stream.send(chunk(Self.record) + chunk(Self.record) + Array("0\r\n\r\n".utf8)) }
        for stream in streams {
            let answer = stream.read(until: "\r\n0\r\n\r\n")
            #expect(answer.hasPrefix("HTTP/1.1 200"))
            #expect(answer.components(separatedBy: "OperationOutcome").count - 1 == 3)
        }
        #expect(server.waitForExit() == 0)
        #expect(throws: (any Error).self) { try RawConnection(port: server.port) }
    }
}
