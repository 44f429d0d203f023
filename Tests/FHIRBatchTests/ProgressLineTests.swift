import Testing

@testable import FHIRBatch

/// The progress line: only at a terminal, only for runs over a second, redrawn in place.
@Suite struct ProgressLineTests {
    @Test func showsNothingForShortRunsAndRedrawsLongOnesInPlace() {
        let start = ContinuousClock.now
        var line = ProgressLine(enabled: true, start: start)
        #expect(line.update(records: 10, rejected: 0, bytes: 5_000, now: start + .milliseconds(900)) == nil)
        let first = line.update(records: 20_000, rejected: 3, bytes: 25_000_000, now: start + .seconds(2))
        #expect(first == "\r\u{1B}[2K20000 records, 12.5 MB/s, 3 rejected")
        #expect(line.update(records: 20_001, rejected: 3, bytes: 25_000_100, now: start + .milliseconds(2_100)) == nil)
        #expect(line.update(records: 30_000, rejected: 3, bytes: 30_000_000, now: start + .seconds(3)) != nil)
        #expect(line.clear() == "\r\u{1B}[2K")
        #expect(line.clear() == nil)
    }

    @Test func disabledWhenNotATerminalOrQuiet() {
        let start = ContinuousClock.now
        var line = ProgressLine(enabled: false, start: start)
        #expect(line.update(records: 1, rejected: 0, bytes: 1, now: start + .seconds(10)) == nil)
        #expect(line.clear() == nil)
    }
}
