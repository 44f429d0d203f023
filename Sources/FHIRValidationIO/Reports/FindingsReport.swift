public import FHIRValidation

/// What validation found in one record (or, when ``record`` is `nil`, in an input as a whole):
/// the unit the CI report writers take, in input order, as the findings are produced.
public struct RecordFindings: Sendable {
    /// The input's name (a path, or `-`).
    public var file: String
    /// The record, or `nil` for the input as a whole (one that is neither JSON nor XML, or holds
    /// no record).
    public var record: ValidationRun.RecordSpan?
    /// The record's findings, in the order they were found.
    public var findings: [ValidationFinding]

    /// A record's findings.
    public init(file: String, record: ValidationRun.RecordSpan?, findings: [ValidationFinding]) {
        self.file = file
        self.record = record
        self.findings = findings
    }
}

/// A report format for CI systems, written piece by piece: the opening, each record's findings
/// as they come, and the closing. Each call returns the bytes to write next, so a report
/// streams as validation does (``JUnitReport`` holds back one input's test cases, whose counts
/// its suite's opening tag carries).
public protocol FindingsReportWriter {
    /// The bytes that open the report.
    mutating func start() -> [UInt8]
    /// The bytes for one record's findings; every record is passed, with or without findings.
    mutating func add(_ record: RecordFindings) -> [UInt8]
    /// The bytes that close the report.
    mutating func finish() -> [UInt8]
}

extension FindingsReportWriter {
    /// The whole report for records at hand.
    public mutating func render(_ records: some Sequence<RecordFindings>) -> [UInt8] {
        var bytes = start()
        for record in records { bytes += add(record) }
        return bytes + finish()
    }
}

extension ValidationRun.Report {
    /// The report's findings grouped by record, in input order: the input as a whole first when
    /// a finding is about it or it holds no record, then every record, with or without findings.
    public var recordFindings: [RecordFindings] {
        var byRecord = Array(repeating: [ValidationFinding](), count: recordSpans.count)
        var whole: [ValidationFinding] = []
        for (finding, record) in zip(findings, findingRecords) {
            if let record { byRecord[record].append(finding) } else { whole.append(finding) }
        }
        var result: [RecordFindings] = []
        if !whole.isEmpty || recordSpans.isEmpty {
            result.append(RecordFindings(file: file, record: nil, findings: whole))
        }
        for (span, findings) in zip(recordSpans, byRecord) {
            result.append(RecordFindings(file: file, record: span, findings: findings))
        }
        return result
    }
}

/// Escapes for the text formats the reports are written in.
enum ReportEscaping {
    /// A JSON string literal, quotes included.
    static func json(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }

    /// Text for XML content or a double-quoted attribute. Characters XML 1.0 cannot carry at all
    /// (other controls) are written as `\u{…}`, as the text report does.
    static func xml(_ text: String) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "\n": result += "&#10;"
            case "\r": result += "&#13;"
            case "\t": result += "&#9;"
            case _ where scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF:
                result += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// A CSV field as RFC 4180 writes it: quoted, with quotes doubled, when it holds a comma,
    /// a quote or a line break.
    static func csv(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) else {
            return text
        }
        var quoted = "\""
        for character in text { quoted += character == "\"" ? "\"\"" : String(character) }
        return quoted + "\""
    }

    /// A URI reference for a file path: characters outside RFC 3986's unreserved set and `/`
    /// percent-encoded, so SARIF's `artifactLocation.uri` is valid for any file name.
    static func uri(_ path: String) -> String {
        var result = ""
        for byte in path.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"), UInt8(ascii: "/"):
                result.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = String(byte, radix: 16, uppercase: true)
                result += "%" + (hex.count == 1 ? "0" : "") + hex
            }
        }
        return result
    }
}

extension ValidationFinding.Severity {
    /// The severity as FHIR displays it (`Error`), as the HL7 validator's reports show it.
    var display: String {
        switch self {
        case .fatal: "Fatal"
        case .error: "Error"
        case .warning: "Warning"
        case .information: "Information"
        }
    }
}
