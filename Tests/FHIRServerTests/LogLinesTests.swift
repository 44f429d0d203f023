import Foundation
import Logging
import Testing

@testable import FHIRServer

/// The server's log lines read as swift-log's `StreamLogHandler` writes them, but for the time.
@Suite struct LogLinesTests {
    /// What a handler wrote, line by line.
    final class Capture: TextOutputStream, @unchecked Sendable {
        private let lock = NSLock()
        private var text = ""
        func write(_ string: String) { lock.withLock { text += string } }
        var lines: [String] {
            lock.withLock { text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) }
        }
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String { "the body could not be read" }
    }

    /// Logs the same messages through `logger`: metadata set on the logger, given with the
    /// message, overriding each other, and an error.
    static func logSome(_ logger: inout Logger) {
        logger.info("request", metadata: ["status": .stringConvertible(200), "path": "/$convert", "bytes": "2392"])
        logger[metadataKey: "hb.request.id"] = "17"
        logger.warning("slow", metadata: ["duration_ms": "1500.250", "hb.request.id": "18"])
        logger.debug("not written at info")
        logger.error("failed", error: Failure(), metadata: ["outcome": "aborted"])
        logger.notice("no metadata given")
    }

    @Test func linesAreStreamLogHandlersButForTheTime() throws {
        let ours = Capture()
        let theirs = Capture()
        var oursLogger = Logger(label: "ivig-fhir.serve") { LogLines(label: $0) { ours.write($0) } }
        var theirsLogger = Logger(label: "ivig-fhir.serve") {
            StreamLogHandler(label: $0, stream: theirs, metadataProvider: nil)
        }
        Self.logSome(&oursLogger)
        Self.logSome(&theirsLogger)
        #expect(ours.lines.count == 5)  // four lines at info and above, and the empty text after the last
        #expect(ours.lines.count == theirs.lines.count)
        let time = #/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d{4} /#
        for (line, reference) in zip(ours.lines, theirs.lines) where !reference.isEmpty {
            #expect(line.prefixMatch(of: time) != nil, "\(line)")
            #expect(line.replacing(time, with: "") == reference.replacing(time, with: ""))
        }
        #expect(ours.lines[1].hasSuffix(" [FHIRServerTests] slow") && ours.lines[1].contains(" hb.request.id=18 "))
    }
}
