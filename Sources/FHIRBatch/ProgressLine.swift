/// The progress line on standard error for people at a terminal: records, throughput and
/// rejects, redrawn in place. Shown only when standard error is a terminal, `--quiet` is off,
/// and the run has lasted a second (short runs print nothing); never when piped.
struct ProgressLine {
    /// When the run is long enough to show progress.
    static let delay: Duration = .seconds(1)
    /// How often the line is redrawn.
    static let interval: Duration = .milliseconds(250)

    let enabled: Bool
    private let start: ContinuousClock.Instant
    private var lastDrawn: ContinuousClock.Instant?

    init(enabled: Bool, start: ContinuousClock.Instant = .now) {
        self.enabled = enabled
        self.start = start
    }

    /// Whether a line is on the terminal (and must be cleared before other output).
    var isShown: Bool { lastDrawn != nil }

    /// The text to write now (carriage return, clear line, the line), or nil when not due.
    mutating func update(records: Int, rejected: Int, bytes: Int, now: ContinuousClock.Instant = .now) -> String? {
        guard enabled, now - start >= Self.delay else { return nil }
        if let lastDrawn, now - lastDrawn < Self.interval { return nil }
        lastDrawn = now
        return "\r\u{1B}[2K" + Self.text(records: records, rejected: rejected, bytes: bytes, elapsed: now - start)
    }

    /// The text that clears the line, or nil when nothing is shown.
    mutating func clear() -> String? {
        guard lastDrawn != nil else { return nil }
        lastDrawn = nil
        return "\r\u{1B}[2K"
    }

    /// `12345 records, 45.6 MB/s, 3 rejected`.
    static func text(records: Int, rejected: Int, bytes: Int, elapsed: Duration) -> String {
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let rate = seconds > 0 ? Double(bytes) / 1_000_000 / seconds : 0
        let tenths = Int((rate * 10).rounded())
        return "\(records) records, \(tenths / 10).\(tenths % 10) MB/s, \(rejected) rejected"
    }
}
