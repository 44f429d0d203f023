import FHIRCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Cuts NDJSON into lines, reading the input a chunk at a time: memory holds one chunk and the
/// line being cut, never the file.
///
/// Every line is a record, so the counts add up: an empty (or whitespace-only) line is a record
/// that is rejected as "empty line", and a line longer than the limit is rejected with its start.
/// A line ends at `\n`; a `\r` before it is dropped; the last line needs no line break; a byte
/// order mark before the first line is skipped.
final class NDJSONSource: RecordSource {
    private let reader: InputReader
    private let maxLineBytes: Int
    private var buffer: [UInt8] = []
    /// Where the unread part of `buffer` starts.
    private var position = 0
    /// The input offset of `buffer[0]`.
    private var base = 0
    private var lineNumber = 0
    private var finished = false

    /// How much of an over-long line is kept for the reject output.
    static let truncatedHeadBytes = 64 << 10

    init(reader: InputReader, maxLineBytes: Int) {
        self.reader = reader
        self.maxLineBytes = maxLineBytes
    }

    func next() throws(InputFailure) -> RawRecord? {
        guard !finished else { return nil }
        var searchFrom = position
        var oversized: [UInt8]? = nil
        var oversizedStart = 0
        while true {
            if let newline = findNewline(from: searchFrom) {
                lineNumber += 1
                let start = base + position
                if let head = oversized {
                    position = newline + 1
                    return tooLong(head, start: oversizedStart)
                }
                let record = line(from: position, to: newline, at: start)
                position = newline + 1
                return record
            }
            // No line break yet: keep what is unread, read on.
            if oversized == nil && buffer.count - position > maxLineBytes {
                oversized = Array(buffer[position..<(position + min(Self.truncatedHeadBytes, buffer.count - position))])
                oversizedStart = base + position
            }
            if oversized != nil {  // drop the middle of an over-long line as it streams past
                base += buffer.count
                buffer.removeAll(keepingCapacity: true)
                position = 0
            } else if position > 0 {
                base += position
                buffer.removeSubrange(0..<position)
                position = 0
            }
            searchFrom = buffer.count
            let count: Int
            do { count = try reader.read(into: &buffer) } catch { throw .io(error) }
            if count == 0 {
                finished = true
                reader.close()
                if let head = oversized {
                    lineNumber += 1
                    return tooLong(head, start: oversizedStart)
                }
                guard position < buffer.count else { return nil }
                lineNumber += 1
                let record = line(from: position, to: buffer.count, at: base + position)
                position = buffer.count
                return record
            }
        }
    }

    private func findNewline(from start: Int) -> Int? {
        guard start < buffer.count else { return nil }
        return buffer.withUnsafeBytes { raw -> Int? in
            guard let found = memchr(raw.baseAddress! + start, Int32(UInt8(ascii: "\n")), raw.count - start) else {
                return nil
            }
            return raw.baseAddress!.distance(to: UnsafeRawPointer(found))
        }
    }

    private func line(from start: Int, to end: Int, at offset: Int) -> RawRecord {
        var first = start
        var last = end
        if lineNumber == 1 && buffer[first..<last].starts(with: [0xEF, 0xBB, 0xBF]) { first += 3 }
        if last > first && buffer[last - 1] == UInt8(ascii: "\r") { last -= 1 }
        let bytes = Array(buffer[first..<last])
        let origin = RecordOrigin(
            input: reader.input.displayName, position: .line(lineNumber), byteOffset: offset + (first - start))
        var record = RawRecord(origin: origin, payload: .bytes(bytes))
        if bytes.allSatisfy(JSONSkim.isWhitespace) {
            record.framingProblem = FHIRDiagnostic(
                code: .syntax, message: "empty line (NDJSON holds one resource on every line)",
                location: SourceLocation(line: lineNumber, column: 1, byteOffset: offset))
        }
        return record
    }

    private func tooLong(_ head: [UInt8], start: Int) -> RawRecord {
        let origin = RecordOrigin(input: reader.input.displayName, position: .line(lineNumber), byteOffset: start)
        return RawRecord(
            origin: origin, payload: .bytes(head),
            framingProblem: FHIRDiagnostic(
                code: .tooLarge,
                message: "the line is longer than the limit of \(maxLineBytes) bytes "
                    + FHIRReadLimits.hint(.maxRecordBytes, value: maxLineBytes),
                location: SourceLocation(line: lineNumber, column: 1, byteOffset: start)),
            isTruncated: true)
    }
}
