import FHIRCore
import FHIRValidation

/// Findings as CSV (RFC 4180: CRLF line ends, fields quoted when needed), one row per finding
/// under a header row: `file,line,column,severity,rule,fhirpath,message`. Line and column are
/// empty when the element was not found in the input.
public struct CSVReport: FindingsRenderer {
    /// The header row's field names.
    public static let columns = ["file", "line", "column", "severity", "rule", "fhirpath", "message"]

    /// A CSV report.
    public init() {}

    public mutating func start(inputs: [String]) -> [UInt8] { Self.row(Self.columns) }

    public mutating func render(_ record: RecordFindings) -> [UInt8] {
        record.findings.flatMap { finding in
            Self.row([
                record.input, finding.location.map { String($0.line) } ?? "",
                finding.location.map { String($0.column) } ?? "", finding.severity.rawValue, finding.ruleID,
                finding.fhirPath ?? "", finding.message,
            ])
        }
    }

    public mutating func finish() -> [UInt8] { [] }

    private static func row(_ fields: [String]) -> [UInt8] {
        Array((fields.map(ReportEscaping.csv).joined(separator: ",") + "\r\n").utf8)
    }
}
