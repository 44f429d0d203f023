import FHIRCore
public import FHIRValidation
import FHIRJSON
import FHIRXML

/// Validates inputs together, as one context (a Bundle, an NDJSON file, several files), and
/// places every finding in its file with a line and column.
///
/// ```swift
/// let sources = try ValidationSource.sources(for: ["Examples/validation"])
/// let reports = ValidationRun(validator: Validator(rules: rules)).validate(sources)
/// for report in reports { report.findings.forEach { print($0) } }
/// ```
public struct ValidationRun: Sendable {
    /// What was found in one input.
    public struct Report: Sendable {
        /// The input's name (a path, or `-`).
        public var file: String
        /// The findings, each with `file` set and, when the element was found in the input, a location.
        public var findings: [ValidationFinding]
        /// How many resources (records) the input held, and how many could be decoded.
        public var records: Int
        public var decodedRecords: Int
    }

    public var validator: Validator

    public init(validator: Validator) {
        self.validator = validator
    }

    /// Validates the sources as one context; one report per source, in order.
    public func validate(_ sources: [ValidationSource]) -> [Report] {
        // 1. Decode every record, remembering where it came from.
        var records: [Record] = []
        var reports: [Report] = []
        for (index, source) in sources.enumerated() {
            var report = Report(file: source.name, findings: [], records: 0, decodedRecords: 0)
            if source.format == .unknown {
                report.findings.append(ValidationFinding(
                    .fatal, .structure, rule: "struct-syntax",
                    "the input is neither FHIR JSON (starting with '{') nor FHIR XML (starting with '<')",
                    at: nil, location: SourceLocation(line: 1, column: 1, byteOffset: 0), file: source.name))
                reports.append(report)
                continue
            }
            for (bytes, firstLine) in Self.split(source) {
                let decoded = RecordDecoding.decode(bytes, format: source.format)
                report.records += 1
                let record = Record(source: index, bytes: bytes, firstLine: firstLine, format: source.format, resource: decoded.resource)
                report.findings += decoded.findings.map { record.place($0, file: source.name) }
                if decoded.resource != nil {
                    report.decodedRecords += 1
                    records.append(record)
                }
            }
            reports.append(report)
        }
        // 2. Validate every decoded record against all of them.
        let context = ValidationContext(records: records.map { $0.resource! })
        for (index, record) in records.enumerated() {
            let findings = validator.validate(record: index, in: context)
            guard !findings.isEmpty else { continue }
            let locator = record.locator()
            reports[record.source].findings += findings.map { finding in
                var located = finding
                if located.location == nil, let path = finding.fhirPath { located.location = locator(path) }
                return record.place(located, file: sources[record.source].name)
            }
        }
        return reports
    }

    /// The records of a source: the whole input, or each non-empty line of NDJSON with its line number.
    static func split(_ source: ValidationSource) -> [(bytes: [UInt8], firstLine: Int)] {
        guard source.format == .ndjson else { return [(source.bytes, 1)] }
        var result: [(bytes: [UInt8], firstLine: Int)] = []
        var line = 1
        for piece in source.bytes.split(separator: 0x0A, omittingEmptySubsequences: false) {
            defer { line += 1 }
            var bytes = Array(piece)
            if bytes.last == 0x0D { bytes.removeLast() }
            if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
            result.append((bytes, line))
        }
        return result
    }
}

/// One decoded record and where it came from.
private struct Record {
    let source: Int
    let bytes: [UInt8]
    /// The record's first line in its file (NDJSON records are one line each).
    let firstLine: Int
    let format: ValidationSource.Format
    let resource: AnyResource?

    /// A function from FHIRPath to location in this record, parsing the record only once.
    func locator() -> (String) -> SourceLocation? {
        switch format {
        case .xml:
            let map = try? FHIRXMLSourceMap(bytes: bytes)
            return { map?.location(of: $0) }
        default:
            let map = try? FHIRJSONSourceMap(bytes: bytes)
            return { map?.location(of: $0) }
        }
    }

    /// The finding in its file, with its line counted from the file's start.
    func place(_ finding: ValidationFinding, file: String) -> ValidationFinding {
        var placed = finding
        placed.file = file
        if var location = placed.location, firstLine > 1 {
            location.line += firstLine - 1
            placed.location = location
        }
        return placed
    }
}
