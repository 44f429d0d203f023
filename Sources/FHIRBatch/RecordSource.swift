public import FHIRCore

/// Cuts one input into records, reading it incrementally. Runs on the batch's reading thread.
protocol RecordSource: AnyObject {
    /// The next record, or nil at the end of the input.
    /// - Throws: ``InputFailure`` when the rest of the input cannot be read; the source is then finished.
    func next() throws(InputFailure) -> RawRecord?
}

/// Why the rest of an input is lost.
public enum InputFailure: Error, Sendable {
    /// The input is not usable from here on (not FHIR, malformed XML, a JSON Bundle whose
    /// structure breaks): the diagnostic says where, and the bytes are what was read of the part
    /// that failed (for the reject output).
    case unusable(FHIRDiagnostic, partial: [UInt8])
    /// Reading failed.
    case io(BatchError)
}

/// A whole input as one record: a resource document, or a Bundle that is not split.
///
/// A document over the record size limit is rejected with its start, and is not held in
/// memory past the limit.
final class DocumentSource: RecordSource {
    private let reader: InputReader
    private let maxBytes: Int
    private var done = false

    init(reader: InputReader, maxBytes: Int = FHIRReadLimits.default.maxRecordBytes) {
        self.reader = reader
        self.maxBytes = maxBytes
    }

    func next() throws(InputFailure) -> RawRecord? {
        guard !done else { return nil }
        done = true
        var bytes: [UInt8] = []
        do {
            while try reader.read(into: &bytes) > 0 {
                if bytes.count > maxBytes { break }
            }
        } catch { throw .io(error) }
        reader.close()
        let origin = RecordOrigin(input: reader.input.displayName, position: .document, byteOffset: 0)
        guard bytes.count > maxBytes else { return RawRecord(origin: origin, payload: .bytes(bytes)) }
        return RawRecord(
            origin: origin, payload: .bytes(Array(bytes.prefix(NDJSONSource.truncatedHeadBytes))),
            framingProblem: FHIRReadLimits.exceeded(
                .maxRecordBytes, value: maxBytes, "the document is larger than \(maxBytes) bytes",
                location: SourceLocation(line: 1, column: 1, byteOffset: 0)),
            isTruncated: true)
    }
}
