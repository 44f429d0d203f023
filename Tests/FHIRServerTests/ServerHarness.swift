import FHIRTestSupport
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The built `ivig-fhir serve` on a free loopback port, as a separate process.
final class ServerProcess: @unchecked Sendable {
    let process: Process
    let port: Int
    let logs: URL

    /// Starts `ivig-fhir serve --port 0 ARGUMENTS` and waits until it says where it listens.
    init(_ arguments: [String] = []) throws {
        _ = Self.fileLimitRaised
        logs = try SampleRecords.temporaryDirectory()
        process = try CLIRunner.start(["serve", "--port", "0"] + arguments, logsIn: logs)
        let deadline = Date().addingTimeInterval(60)
        var found: Int?
        while found == nil, Date() < deadline, process.isRunning {
            let text = (try? String(contentsOf: logs.appendingPathComponent("stdout.log"), encoding: .utf8)) ?? ""
            if let range = text.range(of: "listening on http://127.0.0.1:") {
                let digits = text[range.upperBound...].prefix { $0.isNumber }
                found = Int(digits)
            } else {
                Thread.sleep(forTimeInterval: 0.05)
            }
        }
        guard let found else {
            process.terminate()
            throw HarnessError("the server did not start: \(standardErrorText(logs))")
        }
        port = found
    }

    var base: String { "http://127.0.0.1:\(port)" }

    /// A server a suite shares lives in a static, which is never deinitialized: it is killed when
    /// the test process exits, so no server outlives the run.
    func killAtExit() {
        _ = Self.exitHook
        Self.sharedLock.lock()
        Self.shared.append(process.processIdentifier)
        Self.sharedLock.unlock()
    }

    private static let sharedLock = NSLock()
    nonisolated(unsafe) private static var shared: [Int32] = []
    private static let exitHook: Void = {
        atexit {
            ServerProcess.sharedLock.lock()
            for pid in ServerProcess.shared { kill(pid, SIGKILL) }
            ServerProcess.sharedLock.unlock()
        }
    }()

    /// The idle-connection test holds 2,000 sockets on each side; a CI runner's soft limit of
    /// 1,024 open files is raised towards the hard limit (the servers started later inherit it).
    static let fileLimitRaised: Void = {
        var limit = rlimit()
        guard getrlimit(RLIMIT_NOFILE_RESOURCE, &limit) == 0, limit.rlim_cur < 8192 else { return }
        limit.rlim_cur = min(limit.rlim_max, 8192)
        _ = setrlimit(RLIMIT_NOFILE_RESOURCE, &limit)
    }()

    /// What the server wrote to standard error (its request log).
    var standardError: String { standardErrorText(logs) }

    /// SIGTERM, then the exit status (nil when it did not exit within `seconds`).
    func terminate(within seconds: Double = 20) -> Int32? {
        kill(process.processIdentifier, SIGTERM)
        return waitForExit(within: seconds)
    }

    /// The exit status once the process ends (nil when it did not within `seconds`: then it is killed).
    func waitForExit(within seconds: Double = 20) -> Int32? {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            return nil
        }
        return process.terminationStatus
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        try? FileManager.default.removeItem(at: logs)
    }
}

#if canImport(Glibc)
    private let RLIMIT_NOFILE_RESOURCE = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
#endif

private func standardErrorText(_ logs: URL) -> String {
    (try? String(contentsOf: logs.appendingPathComponent("stderr.log"), encoding: .utf8)) ?? ""
}

struct HarnessError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// The one server most tests share (started on first use).
enum SharedServer {
    static let server: Result<ServerProcess, any Error> = Result {
        let server = try ServerProcess(["--max-body-bytes", "1M"])
        server.killAtExit()
        return server
    }
    static func get() throws -> ServerProcess { try server.get() }
}

/// An HTTP exchange made by curl, a real client.
struct HTTPExchange {
    var status: Int
    /// Header names in lower case.
    var headers: [String: String]
    var body: [UInt8]
    var text: String { String(decoding: body, as: UTF8.self) }

    /// The body as JSON.
    func json() throws -> [String: Any] {
        guard let object = try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] else {
            throw HarnessError("not a JSON object: \(text.prefix(200))")
        }
        return object
    }
}

enum Curl {
    /// `curl` with the request; the body is sent from a file (binary-safe), the answer kept raw
    /// (gzip is not undone, so tests see what was sent).
    static func request(
        _ method: String, _ url: String, headers: [String: String] = [:], body: [UInt8]? = nil, extra: [String] = []
    ) throws -> HTTPExchange {
        let directory = try SampleRecords.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let bodyFile = directory.appendingPathComponent("body"),
            headerFile = directory.appendingPathComponent("headers")
        let outputFile = directory.appendingPathComponent("out")
        var arguments = [
            "-s", "-S", "-X", method, "-o", outputFile.path, "-D", headerFile.path, "-w", "%{http_code}",
            "--max-time", "30", "-H", "Expect:",
        ]
        for (name, value) in headers { arguments += ["-H", "\(name): \(value)"] }
        if let body {
            try Data(body).write(to: bodyFile)
            arguments += ["--data-binary", "@" + bodyFile.path]
        }
        arguments += extra + ["-g", url]
        let result = try run("/usr/bin/curl", arguments)
        guard let status = Int(result) else { throw HarnessError("curl printed '\(result)'") }
        let headerText = (try? String(contentsOf: headerFile, encoding: .utf8)) ?? ""
        var fields: [String: String] = [:]
        for line in headerText.split(whereSeparator: { $0 == "\r\n" || $0 == "\n" }) {
            guard let colon = line.firstIndex(of: ":") else { continue }
            fields[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let output = (try? Data(contentsOf: outputFile)).map { [UInt8]($0) } ?? []
        return HTTPExchange(status: status, headers: fields, body: output)
    }

    /// Runs a program; its standard output.
    static func run(_ executable: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}

/// A plain TCP connection, for clients no HTTP library would be: slow, malformed, idle.
final class RawConnection {
    let socket: Int32

    init(port: Int, receiveTimeout: Double = 10) throws {
        socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw HarnessError("socket() failed: errno \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            close(socket)
            throw HarnessError("connect() failed: errno \(errno)")
        }
        var timeout = timeval(
            tv_sec: Int(receiveTimeout), tv_usec: Int((receiveTimeout - receiveTimeout.rounded(.down)) * 1e6))
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    /// Sends bytes; false when the server has closed the connection.
    @discardableResult
    func send(_ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes {
                Glibc.send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
            }
            if sent <= 0 { return false }
            offset += sent
        }
        return true
    }

    @discardableResult
    func send(_ text: String) -> Bool { send(Array(text.utf8)) }

    /// Reads until the server closes the connection or the timeout passes; `closed` says which.
    func readAll() -> (bytes: [UInt8], closed: Bool) {
        var result: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
            if count == 0 { return (result, true) }
            if count < 0 { return (result, errno == ECONNRESET) }
            result += buffer[0..<count]
        }
    }

    /// Reads until `marker` has arrived (or the connection closes or times out).
    func read(until marker: String) -> String {
        var result: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while !String(decoding: result, as: UTF8.self).contains(marker) {
            let count = buffer.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
            if count <= 0 { break }
            result += buffer[0..<count]
        }
        return String(decoding: result, as: UTF8.self)
    }

    deinit { close(socket) }
}

/// Files of the package the tests send.
enum Fixtures {
    static func bytes(_ path: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: SharedCorpus.packageRoot.appendingPathComponent(path)))
    }

    static let bundle = "Examples/cidp-induction-bundle.json"

    /// What `ivig-fhir ARGUMENTS` writes on standard output (the CLI is the reference).
    static func cli(_ arguments: [String]) throws -> [UInt8] {
        let result = try CLIRunner.run(arguments)
        return result.outputBytes
    }
}

/// A chunk of a chunked transfer-encoded body.
func chunk(_ bytes: [UInt8]) -> [UInt8] {
    Array(String(bytes.count, radix: 16).utf8) + [13, 10] + bytes + [13, 10]
}
