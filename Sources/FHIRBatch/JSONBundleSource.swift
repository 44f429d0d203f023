import FHIRCore

/// Splits a FHIR JSON Bundle into its entries with a byte-level scanner, reading the input a
/// chunk at a time: memory holds a chunk and the entry being cut out, never the whole Bundle.
///
/// Only the structure is followed here (strings, escapes, nesting); each entry's content is
/// checked by the decoder. Members of the Bundle other than `entry` are skipped. A structural
/// break (a truncated file, a missing comma) ends the input with an error naming the line and
/// column; entries before it have been delivered.
final class JSONBundleSource: RecordSource {
    private enum State {
        case start
        case members(first: Bool)
        case entries(first: Bool)
        case done
    }

    private let reader: InputReader
    private let maxEntryBytes: Int
    /// Entries past this many are each rejected (cut out and counted as usual, not decoded).
    private let maxEntries: Int
    private var buffer: [UInt8] = []
    private var position = 0
    /// The input offset of `buffer[0]`.
    private var base = 0
    /// Line and column (in Unicode scalars) of `buffer[position]`.
    private var line = 1
    private var column = 1
    /// The start of the entry being captured, kept across refills.
    private var captureStart: Int?
    private var state = State.start
    private var entryIndex = 0

    init(reader: InputReader, maxEntryBytes: Int, maxEntries: Int = FHIRReadLimits.default.maxBundleEntries) {
        self.reader = reader
        self.maxEntryBytes = maxEntryBytes
        self.maxEntries = maxEntries
    }

    func next() throws(InputFailure) -> RawRecord? {
        while true {
            switch state {
            case .done:
                return nil
            case .start:
                try skipWhitespace()
                if buffer.count - position >= 3 && buffer[position..<(position + 3)].elementsEqual([0xEF, 0xBB, 0xBF]) {
                    position += 3
                    try skipWhitespace()
                }
                try expect(UInt8(ascii: "{"), "'{' to start the Bundle")
                state = .members(first: true)
            case .members(let first):
                try skipWhitespace()
                if try peek() == UInt8(ascii: "}") {
                    advance()
                    try skipWhitespace()
                    if try peek() != nil { throw failure("unexpected content after the end of the Bundle") }
                    state = .done
                    reader.close()
                    return nil
                }
                if !first {
                    try expect(UInt8(ascii: ","), "',' or '}' after a member of the Bundle")
                    try skipWhitespace()
                }
                let key = try readKey()
                try skipWhitespace()
                try expect(UInt8(ascii: ":"), "':' after \"\(key)\"")
                try skipWhitespace()
                if key == "entry" {
                    try expect(UInt8(ascii: "["), "'[': Bundle.entry is an array")
                    state = .entries(first: true)
                } else {
                    try skipValue()
                    state = .members(first: false)
                }
            case .entries(let first):
                try skipWhitespace()
                if try peek() == UInt8(ascii: "]") {
                    advance()
                    state = .members(first: false)
                    continue
                }
                if !first {
                    try expect(UInt8(ascii: ","), "',' or ']' after Bundle.entry[\(entryIndex - 1)]")
                    try skipWhitespace()
                }
                state = .entries(first: false)
                return try captureEntry()
            }
        }
    }

    // MARK: Entries

    private func captureEntry() throws(InputFailure) -> RawRecord {
        let origin = RecordOrigin(
            input: reader.input.displayName,
            position: .bundleEntry(index: entryIndex, line: line, column: column),
            byteOffset: base + position)
        entryIndex += 1
        captureStart = position
        var head: [UInt8]? = nil
        try skipValue { [maxEntryBytes] in
            // Over the limit: keep the start for the reject output and stop holding the rest.
            guard head == nil, let start = self.captureStart, self.position - start > maxEntryBytes else { return }
            head = Array(self.buffer[start..<min(self.position, start + NDJSONSource.truncatedHeadBytes)])
            self.captureStart = nil
        }
        defer { captureStart = nil }
        if let head {
            return RawRecord(
                origin: origin, payload: .bytes(head),
                framingProblem: FHIRDiagnostic(
                    code: .tooLarge,
                    message: "the Bundle entry is larger than the limit of \(maxEntryBytes) bytes "
                        + FHIRReadLimits.hint(.maxRecordBytes, value: maxEntryBytes),
                    fhirPath: "Bundle.entry[\(entryIndex - 1)]",
                    location: SourceLocation(line: origin.line, column: 1, byteOffset: origin.byteOffset)),
                isTruncated: true)
        }
        var record = RawRecord(origin: origin, payload: .bytes(Array(buffer[captureStart!..<position])))
        if entryIndex > maxEntries {
            record.framingProblem = FHIRReadLimits.exceeded(
                .maxBundleEntries, value: maxEntries,
                "Bundle.entry[\(entryIndex - 1)] is past the most entries a Bundle may hold",
                fhirPath: "Bundle.entry[\(entryIndex - 1)]",
                location: SourceLocation(line: origin.line, column: 1, byteOffset: origin.byteOffset))
        }
        return record
    }

    // MARK: Scanning

    private func readKey() throws(InputFailure) -> String {
        guard try peek() == UInt8(ascii: "\"") else { throw failure("expected a member name in quotes") }
        captureStart = position  // hold the name's bytes across a refill
        defer { captureStart = nil }
        try skipString()
        return String(decoding: buffer[(captureStart! + 1)..<(position - 1)], as: UTF8.self)
    }

    /// Skips one JSON value; `onProgress` runs after each refill (to enforce the size limit).
    private func skipValue(onProgress: () -> Void = {}) throws(InputFailure) {
        guard let first = try peek() else { throw failure("unexpected end of the input: a value is missing") }
        switch first {
        case UInt8(ascii: "\""):
            try skipString()
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            var depth = 0
            while true {
                guard let byte = try peek(onRefill: onProgress) else {
                    throw failure(
                        "unexpected end of the input inside \(entryIndex > 0 && captureStart != nil ? "Bundle.entry[\(entryIndex - 1)]" : "the Bundle")"
                    )
                }
                switch byte {
                case UInt8(ascii: "\""):
                    try skipString(onRefill: onProgress)
                    continue
                case UInt8(ascii: "{"), UInt8(ascii: "["):
                    depth += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    depth -= 1
                default:
                    break
                }
                advance()
                if depth == 0 { return }
            }
        default:
            while let byte = try peek(onRefill: onProgress), !JSONSkim.isDelimiter(byte) { advance() }
        }
    }

    private func skipString(onRefill: () -> Void = {}) throws(InputFailure) {
        advance()  // the opening quote
        while true {
            guard let byte = try peek(onRefill: onRefill) else {
                throw failure("unexpected end of the input inside a string")
            }
            advance()
            if byte == UInt8(ascii: "\\") {
                guard try peek(onRefill: onRefill) != nil else {
                    throw failure("unexpected end of the input inside a string")
                }
                advance()
            } else if byte == UInt8(ascii: "\"") {
                return
            }
        }
    }

    private func skipWhitespace() throws(InputFailure) {
        while let byte = try peek(), JSONSkim.isWhitespace(byte) { advance() }
    }

    private func expect(_ byte: UInt8, _ what: String) throws(InputFailure) {
        guard try peek() == byte else {
            if try peek() == nil { throw failure("unexpected end of the input: expected \(what)") }
            throw failure("expected \(what)")
        }
        advance()
    }

    /// The byte at `position`, reading more input when the buffer is used up; nil at the end.
    @inline(__always)
    private func peek(onRefill: () -> Void = {}) throws(InputFailure) -> UInt8? {
        if position < buffer.count { return buffer[position] }
        try refill()
        onRefill()
        return position < buffer.count ? buffer[position] : nil
    }

    @inline(__always)
    private func advance() {
        let byte = buffer[position]
        position += 1
        if byte == UInt8(ascii: "\n") {
            line += 1
            column = 1
        } else if byte & 0xC0 != 0x80 {
            column += 1
        }
    }

    /// Drops what is no longer needed (everything before the entry being captured) and reads a chunk.
    private func refill() throws(InputFailure) {
        let keep = captureStart ?? position
        if keep > 0 {
            buffer.removeSubrange(0..<keep)
            base += keep
            position -= keep
            if captureStart != nil { captureStart = 0 }
        }
        do { try reader.read(into: &buffer) } catch { throw .io(error) }
    }

    private func failure(_ message: String) -> InputFailure {
        state = .done
        reader.close()
        let start = captureStart ?? position
        let partial = Array(
            buffer[min(start, buffer.count)..<min(buffer.count, start + NDJSONSource.truncatedHeadBytes)])
        return .unusable(
            FHIRDiagnostic(
                code: .syntax, message: "malformed JSON Bundle: " + message,
                location: SourceLocation(line: line, column: column, byteOffset: base + position)),
            partial: partial)
    }
}
