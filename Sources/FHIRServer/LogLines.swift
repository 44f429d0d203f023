import Logging

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The server's log handler: lines on standard error in swift-log's `StreamLogHandler` format
/// (`2026-12-07T19:54:31+0000 info ivig-fhir.serve: bytes=2392 method=POST … [FHIRServer] request`),
/// made for a line per request.
///
/// `StreamLogHandler` formats its metadata again whenever it changes (Hummingbird sets a request
/// id on each request's logger, logged or not) and reads the time zone anew for every line
/// (`localtime`, which with `TZ` unset looks at /etc/localtime each time). This one formats only
/// what it logs, and converts the time with `localtime_r`, which reads the zone once.
struct LogLines: LogHandler {
    let label: String
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?
    /// Where a finished line goes: standard error, by default.
    private let output: @Sendable (String) -> Void

    init(label: String, output: @escaping @Sendable (String) -> Void = LogLines.writeToStandardError) {
        self.label = label
        self.output = output
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var all = metadata
        if let provided = metadataProvider?.get(), !provided.isEmpty { all.merge(provided) { $1 } }
        if let explicit = event.metadata, !explicit.isEmpty { all.merge(explicit) { $1 } }
        if let error = event.error {
            all["error.message"] = "\(error)"
            all["error.type"] = "\(String(reflecting: type(of: error)))"
        }
        var line = Self.timestamp() + " \(event.level)" + (label.isEmpty ? "" : " ") + label + ":"
        for (key, value) in all.sorted(by: { $0.key < $1.key }) { line += " \(key)=\(value)" }
        line += " [\(event.source)] \(event.message)\n"
        output(line)
    }

    /// The local time to the second, with its offset (`2026-12-07T19:54:31+0000`).
    private static func timestamp() -> String {
        var now = time(nil)
        var local = tm()
        guard localtime_r(&now, &local) != nil else { return "<unknown>" }
        var buffer = [CChar](repeating: 0, count: 64)
        let count = strftime(&buffer, buffer.count, "%Y-%m-%dT%H:%M:%S%z", &local)
        return String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Writes a line whole, in one call where it can (so lines from threads never interleave).
    @Sendable static func writeToStandardError(_ line: String) {
        var line = line
        line.withUTF8 { bytes in
            guard var next = bytes.baseAddress else { return }
            var left = bytes.count
            while left > 0 {
                let written = write(STDERR_FILENO, next, left)
                if written < 0, errno == EINTR { continue }
                guard written > 0 else { return }  // standard error is gone: the line is dropped
                next += written
                left -= written
            }
        }
    }
}
