import Dispatch
import Foundation
import FHIRCore
import FHIRJSON
import FHIRValidation
@testable import FHIRValidationIO
import FHIRXML

/// The whole-context validation `validate` did before it streamed (kept for tests only): every
/// record of every input decoded and held in one ``ValidationContext``. Streaming validation
/// must find exactly what this finds.
struct ValidationRun: Sendable {
    /// What was found in one input.
    struct Report: Sendable {
        /// The input's name (a path, or `-`).
        var file: String
        /// The findings, each with `file` set and, when the element was found in the input, a location.
        var findings: [ValidationFinding]
        /// How many resources (records) the input held.
        var records: Int
        /// How many of them could be decoded (the others have a finding saying why not).
        var decodedRecords: Int
    }

    /// The validator each record goes through.
    var validator: Validator
    /// What the readers accept; a record past a limit gets a fatal `struct-limit` finding and
    /// is not checked further, and the other records are checked as usual.
    var limits: FHIRReadLimits

    /// A run with a validator (which carries the dosing rules).
    init(validator: Validator, limits: FHIRReadLimits = .default) {
        self.validator = validator
        self.limits = limits
    }

    /// Validates the sources as one context; one report per source, in order. Records are
    /// decoded, and then validated, on every core.
    func validate(_ sources: [ValidationSource]) -> [Report] {
        // 1. Decode every record, remembering where it came from.
        let pieces = sources.indices.filter { sources[$0].format != .unknown }.flatMap { index in
            Self.split(sources[index]).map { (source: index, bytes: $0.bytes, firstLine: $0.firstLine, isBlank: $0.isBlank) }
        }
        let limits = self.limits
        let decoded = parallelMap(pieces.count) { position in
            pieces[position].isBlank
                ? RecordDecoding.Decoded(resource: nil, findings: [Self.emptyLine])
                : RecordDecoding.decode(pieces[position].bytes, isXML: sources[pieces[position].source].format == .xml, limits: limits)
        }
        var reports = sources.map { Report(file: $0.name, findings: [], records: 0, decodedRecords: 0) }
        for (index, source) in sources.enumerated() where source.format == .unknown {
            reports[index].findings.append(ValidationFinding(
                .fatal, .structure, rule: "struct-syntax",
                "the input is neither FHIR JSON (starting with '{') nor FHIR XML (starting with '<')",
                at: nil, location: SourceLocation(line: 1, column: 1, byteOffset: 0), file: source.name))
        }
        var records: [Record] = []
        for (piece, result) in zip(pieces, decoded) {
            let record = Record(
                source: piece.source, bytes: piece.bytes, firstLine: piece.firstLine,
                format: sources[piece.source].format, resource: result.resource)
            reports[piece.source].records += 1
            reports[piece.source].findings += result.findings.map { record.place($0, file: sources[piece.source].name) }
            if result.resource != nil {
                reports[piece.source].decodedRecords += 1
                records.append(record)
            }
        }
        // 2. Validate every decoded record against all of them.
        let decodedRecords = records
        let context = ValidationContext(records: decodedRecords.map { $0.resource! })
        let validator = self.validator
        let found = parallelMap(decodedRecords.count) { index -> [ValidationFinding] in
            let record = decodedRecords[index]
            var findings = validator.validate(record: index, in: context)
            if record.format != .xml { findings += NarrativeCheck.findings(in: record.bytes) }
            guard !findings.isEmpty else { return [] }
            let locator = record.locator(limits: limits)
            return findings.map { finding in
                var located = finding
                if located.location == nil, let path = finding.fhirPath { located.location = locator(path) }
                return record.place(located, file: sources[record.source].name)
            }
        }
        for (record, findings) in zip(records, found) { reports[record.source].findings += findings }
        return reports
    }

    /// The records of a source: the whole input, or each line of NDJSON with its line number.
    /// An empty (or whitespace-only) line is a record too, one that cannot be read, as in
    /// `convert`: so the counts of both commands agree. Only the empty remainder after the last
    /// line break is not a line.
    static func split(_ source: ValidationSource) -> [Piece] {
        guard source.format == .ndjson else { return [Piece(bytes: source.bytes, firstLine: 1, isBlank: false)] }
        var result: [Piece] = []
        let lines = source.bytes.split(separator: 0x0A, omittingEmptySubsequences: false)
        for (index, piece) in lines.enumerated() {
            if index == lines.count - 1 && piece.isEmpty { break }
            var bytes = Array(piece)
            if bytes.last == 0x0D { bytes.removeLast() }
            let isBlank = bytes.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }
            result.append(Piece(bytes: bytes, firstLine: index + 1, isBlank: isBlank))
        }
        return result
    }

    /// One record's bytes and its first line in the input.
    struct Piece {
        var bytes: [UInt8]
        var firstLine: Int
        /// An NDJSON line with nothing on it: reported, not decoded.
        var isBlank: Bool
    }

    /// The finding for an empty NDJSON line (worded as `convert`'s reject).
    static let emptyLine = ValidationFinding(
        .fatal, .structure, rule: "struct-syntax", "empty line (NDJSON holds one resource on every line)",
        at: nil, location: SourceLocation(line: 1, column: 1, byteOffset: 0))
}

/// One decoded record and where it came from.
private struct Record: Sendable {
    let source: Int
    let bytes: [UInt8]
    /// The record's first line in its file (NDJSON records are one line each).
    let firstLine: Int
    let format: ValidationSource.Format
    let resource: AnyResource?

    /// A function from FHIRPath to location in this record, parsing the record only once.
    /// - Parameter limits: those the record was decoded within, so a record that passed them
    ///   (with a raised `--max-depth`, say) can be located too.
    func locator(limits: FHIRReadLimits) -> (String) -> SourceLocation? {
        switch format {
        case .xml:
            let map = try? FHIRXMLSourceMap(bytes: bytes, limits: FHIRXMLLimits(limits))
            return { map?.location(of: $0) }
        default:
            let map = try? FHIRJSONSourceMap(bytes: bytes, maxDepth: limits.maxDepth)
            return { map?.location(of: $0) }
        }
    }

    /// The finding in its file, with its line counted from the file's start.
    func place(_ finding: ValidationFinding, file: String) -> ValidationFinding {
        var placed = finding
        // Both are shown to people and written into reports (XML cannot carry control characters).
        placed.file = FHIRDiagnostic.printable(file)
        placed.message = FHIRDiagnostic.printable(finding.message)
        if var location = placed.location, firstLine > 1 {
            location.line += firstLine - 1
            placed.location = location
        }
        return placed
    }
}

/// One input of the reference: its name, bytes and layout.
struct ValidationSource: Sendable {
    enum Format { case json, ndjson, xml, unknown }
    var name: String
    var bytes: [UInt8]
    var format: Format
}

/// `body(0) … body(count - 1)` on every core, results in index order.
private func parallelMap<T: Sendable>(_ count: Int, _ body: @Sendable (Int) -> T) -> [T] {
    guard count > 1 else { return (0..<count).map(body) }
    let slots = Slots<T>(count: count)
    DispatchQueue.concurrentPerform(iterations: count) { index in slots.store(body(index), at: index) }
    return slots.values()
}

private final class Slots<T>: @unchecked Sendable {
    private var values_: [T?]
    private let lock = NSLock()
    init(count: Int) { values_ = Array(repeating: nil, count: count) }
    func store(_ value: T, at index: Int) { lock.withLock { values_[index] = value } }
    func values() -> [T] { values_.map { $0! } }
}
