import FHIRCore

/// Cuts one input into records, reading it incrementally. Runs on the batch's reading thread.
protocol RecordSource: AnyObject {
    /// The next record, or nil at the end of the input.
    /// - Throws: ``InputFailure`` when the rest of the input cannot be read; the source is then finished.
    func next() throws(InputFailure) -> RawRecord?
}

/// Why the rest of an input is lost.
enum InputFailure: Error {
    /// The input is not usable from here on (not FHIR, malformed XML, a JSON Bundle whose
    /// structure breaks): the diagnostic says where, and the bytes are what was read of the part
    /// that failed (for the reject output).
    case unusable(FHIRDiagnostic, partial: [UInt8])
    /// Reading failed.
    case io(BatchError)
}

/// A whole input as one record: a resource document, or a Bundle that is not split.
final class DocumentSource: RecordSource {
    private let reader: InputReader
    private var done = false

    init(reader: InputReader) { self.reader = reader }

    func next() throws(InputFailure) -> RawRecord? {
        guard !done else { return nil }
        done = true
        let bytes: [UInt8]
        do { bytes = try reader.readAll() } catch { throw .io(error) }
        reader.close()
        return RawRecord(origin: RecordOrigin(input: reader.input.displayName, position: .document, byteOffset: 0),
                         payload: .bytes(bytes))
    }
}
