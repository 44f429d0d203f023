public import FHIRCore

/// What a worker made of one record.
struct ProcessedRecord: Sendable {
    enum Outcome: Sendable {
        /// Encoded output, one piece per resource (a document, a line, or a Bundle entry).
        case converted([[UInt8]])
        /// Why it was rejected: at least one error, positions in the input's coordinates.
        case rejected([FHIRDiagnostic])
    }

    var origin: RecordOrigin
    var outcome: Outcome
    /// Warnings to show (dropped unknown elements, check warnings).
    var warnings: [FHIRDiagnostic]
    /// The record as it came, kept only when it is rejected (for the reject output).
    var rejectedRecord: RawRecord?
}

/// The per-record work, run on worker threads: decode, check, encode.
struct RecordProcessor: Sendable {
    /// How resources become output bytes.
    enum Encoding: Sendable {
        /// One document or line per resource.
        case plain(any RecordEncoder)
        /// One entry of a streamed collection Bundle per resource.
        case bundleEntries(BundleFraming)
    }

    let checks: [any RecordCheck]
    let encoding: Encoding

    /// Processes a record with its input format's decoder.
    func process(_ record: RawRecord, decoder: any RecordDecoder) -> ProcessedRecord {
        if let problem = record.framingProblem { return reject(record, [problem], warnings: []) }
        let decoded: DecodedRecord
        do {
            decoded = try decoder.decode(record)
        } catch {
            return reject(record, [located(error, record.origin)], warnings: [])
        }
        var warnings = decoded.warnings
        var errors: [FHIRDiagnostic] = []
        for check in checks {
            let found = (check as? any RawRecordCheck)?.check(decoded, raw: record) ?? check.check(decoded, origin: record.origin)
            for finding in found {
                if finding.severity == .error { errors.append(located(finding, record.origin)) } else { warnings.append(finding) }
            }
        }
        if !errors.isEmpty { return reject(record, errors, warnings: warnings) }
        var pieces: [[UInt8]] = []
        pieces.reserveCapacity(decoded.resources.count)
        do {
            for resource in decoded.resources {
                switch encoding {
                case .plain(let encoder): pieces.append(try encoder.encode(resource))
                case .bundleEntries(let framing): pieces.append(try framing.entry(resource))
                }
            }
            for element in decoded.elements {
                switch encoding {
                case .plain(let encoder): pieces.append(try encoder.encode(element: element))
                case .bundleEntries(let framing): pieces.append(try framing.entry(element))
                }
            }
        } catch {
            return reject(record, [located(error, record.origin)], warnings: warnings)
        }
        return ProcessedRecord(origin: record.origin, outcome: .converted(pieces), warnings: warnings, rejectedRecord: nil)
    }

    private func reject(_ record: RawRecord, _ errors: [FHIRDiagnostic], warnings: [FHIRDiagnostic]) -> ProcessedRecord {
        ProcessedRecord(origin: record.origin, outcome: .rejected(errors), warnings: warnings, rejectedRecord: record)
    }

    /// A diagnostic without a position (an encoder's) gets the record's own.
    private func located(_ diagnostic: FHIRDiagnostic, _ origin: RecordOrigin) -> FHIRDiagnostic {
        guard diagnostic.location == nil else { return diagnostic }
        var located = diagnostic
        let column: Int
        if case .bundleEntry(_, _, let entryColumn) = origin.position { column = entryColumn } else { column = 1 }
        located.location = SourceLocation(line: origin.line, column: column, byteOffset: origin.byteOffset)
        return located
    }
}

/// A ``RecordCheck`` that also reads the record as it came (its bytes): the narrative of a JSON
/// record is a string no decoder parses, so `convert --validate` checks it there, as `validate` does.
public protocol RawRecordCheck: RecordCheck {
    /// The findings for one record, given its decoded resources and the record as read.
    func check(_ record: DecodedRecord, raw: RawRecord) -> [FHIRDiagnostic]
}

extension RawRecordCheck {
    public func check(_ record: DecodedRecord, origin: RecordOrigin) -> [FHIRDiagnostic] {
        check(record, raw: RawRecord(origin: origin, payload: .bytes([])))
    }
}
