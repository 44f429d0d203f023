public import FHIRCore
public import FHIRValidation
public import FHIRBatch
import FHIRJSON
import FHIRXML

/// The findings of one record, as streaming validation hands them to the output.
public struct RecordFindings: Sendable {
    /// The input's name (a path, or `<stdin>`).
    public var input: String
    /// The findings, each with `file` and, when known, a location.
    public var findings: [ValidationFinding]

    /// The record's first line in its input; nil for the input as a whole.
    public var line: Int?
    /// `Type/id` (or `Type`) of a record the typed models could read, for reports that list
    /// records (JUnit's test cases).
    public var resource: String?

    /// Creates a record's findings.
    public init(input: String, findings: [ValidationFinding], line: Int? = nil, resource: String? = nil) {
        self.input = input
        self.findings = findings
        self.line = line
        self.resource = resource
    }
}

/// Writes findings as they are found, record by record: what each output format of `validate`
/// is. A new format is one conformance (and one name in ``ValidationOutput``).
public protocol FindingsRenderer {
    /// What comes before the first record (a document's header), given the inputs' names.
    mutating func start(inputs: [String]) throws(FHIRDiagnostic) -> [UInt8]
    /// The output for one record with findings.
    mutating func render(_ record: RecordFindings) throws(FHIRDiagnostic) -> [UInt8]
    /// What comes after the last record.
    mutating func finish() throws(FHIRDiagnostic) -> [UInt8]
    /// True for a format that lists every record, findings or not (JUnit: a test case each).
    var rendersRecordsWithoutFindings: Bool { get }
}

extension FindingsRenderer {
    public var rendersRecordsWithoutFindings: Bool { false }
}

/// The output formats of `validate`.
public enum ValidationOutput: String, Sendable, CaseIterable {
    /// `file:line:col: severity: message [rule] (FHIRPath)`, one line per finding.
    case text
    /// An OperationOutcome in FHIR JSON (a collection Bundle of them for several inputs).
    case json
    /// The same in FHIR XML.
    case xml
    /// One OperationOutcome per record with findings, one per line (the Bulk Data error file).
    case ndjson
    /// A header row, then `file,line,column,severity,rule,fhirpath,message` per finding.
    case csv
    /// The HL7 validator's one-line style.
    case compact
    /// SARIF 2.1.0, for code scanning.
    case sarif
    /// JUnit XML: a test case per record, failing on errors.
    case junit

    /// A renderer for the format.
    /// - Parameter toolVersion: the version SARIF's `tool.driver` names.
    public func makeRenderer(toolVersion: String = "unknown") -> any FindingsRenderer {
        switch self {
        case .text: TextFindings()
        case .json: OutcomeDocument(syntax: .json)
        case .xml: OutcomeDocument(syntax: .xml)
        case .ndjson: OutcomeLines()
        case .csv: CSVReport()
        case .compact: CompactReport()
        case .sarif: SARIFReport(toolVersion: toolVersion)
        case .junit: JUnitReport()
        }
    }
}

/// `file:line:col: severity: message [rule] (FHIRPath)` lines.
public struct TextFindings: FindingsRenderer {
    /// A renderer.
    public init() {}
    public func start(inputs: [String]) -> [UInt8] { [] }
    public func render(_ record: RecordFindings) -> [UInt8] {
        Array(record.findings.map { $0.description + "\n" }.joined().utf8)
    }
    public func finish() -> [UInt8] { [] }
}

/// One compact OperationOutcome per record with findings, naming its file, one per line: the
/// NDJSON error file of FHIR Bulk Data.
public struct OutcomeLines: FindingsRenderer {
    /// A renderer.
    public init() {}
    public func start(inputs: [String]) -> [UInt8] { [] }
    public func render(_ record: RecordFindings) throws(FHIRDiagnostic) -> [UInt8] {
        try FHIRJSONEncoder(pretty: false).encode(AnyResource.operationOutcome(OperationOutcome(findings: record.findings, file: record.input)))
            + [0x0A]
    }
    public func finish() -> [UInt8] { [] }
}

/// A pretty OperationOutcome (FHIR JSON or XML) written as findings arrive: for one input, one
/// OperationOutcome whose issues are written a record at a time; for several, a collection
/// Bundle with an OperationOutcome per record with findings, each naming its file.
public struct OutcomeDocument: FindingsRenderer {
    private let syntax: BundleSyntax
    private var issues: IssueFraming?
    private var bundle: BundleFraming?
    private var single: String?
    private var written = 0

    /// A renderer for FHIR JSON or XML.
    public init(syntax: BundleSyntax) { self.syntax = syntax }

    private var encoder: any RecordEncoder {
        syntax == .json ? FHIRJSONRecordEncoder(pretty: true) : FHIRXMLRecordEncoder(pretty: true)
    }

    public mutating func start(inputs: [String]) throws(FHIRDiagnostic) -> [UInt8] {
        if inputs.count == 1 {
            single = inputs[0]
            issues = try IssueFraming(encoder: encoder, syntax: syntax, file: inputs[0])
        } else {
            bundle = try BundleFraming(encoder: encoder, syntax: syntax)
        }
        return []
    }

    public mutating func render(_ record: RecordFindings) throws(FHIRDiagnostic) -> [UInt8] {
        guard !record.findings.isEmpty else { return [] }
        defer { written += 1 }
        if let issues {
            let body = try issues.issues(record.findings)
            return (written == 0 ? issues.header : issues.separator) + body
        }
        guard let bundle else { return [] }
        let entry = try bundle.entry(.operationOutcome(OperationOutcome(findings: record.findings, file: record.input)))
        return (written == 0 ? bundle.header : bundle.separator) + entry
    }

    public func finish() throws(FHIRDiagnostic) -> [UInt8] {
        if written > 0 { return (issues?.footer ?? bundle?.footer ?? []) + [0x0A] }
        if let single { return try encoder.encode(.operationOutcome(OperationOutcome(findings: [], file: single))) + [0x0A] }
        return (bundle?.empty ?? []) + [0x0A]
    }
}

/// The issues of an OperationOutcome written a few at a time: the encoder's own output for an
/// OperationOutcome, cut into the part before the issues, the issues, and the part after them.
struct IssueFraming {
    let header: [UInt8]
    let footer: [UInt8]
    let separator: [UInt8]
    private let encoder: any RecordEncoder
    private let syntax: BundleSyntax

    init(encoder: any RecordEncoder, syntax: BundleSyntax, file: String) throws(FHIRDiagnostic) {
        self.encoder = encoder
        self.syntax = syntax
        separator = syntax == .json ? [UInt8(ascii: ",")] : []
        let probe = try encoder.encode(.operationOutcome(OperationOutcome(
            findings: [ValidationFinding(.information, .informational, rule: "probe", "probe", at: nil)], file: file)))
        let (start, end) = try Self.cut(probe, syntax)
        header = Array(probe[..<start])
        footer = Array(probe[end...])
    }

    /// The issues for `findings`, as they sit between the header and the footer.
    func issues(_ findings: [ValidationFinding]) throws(FHIRDiagnostic) -> [UInt8] {
        let bytes = try encoder.encode(.operationOutcome(OperationOutcome(findings: findings)))
        let (start, end) = try Self.cut(bytes, syntax)
        return Array(bytes[start..<end])
    }

    /// Where the issues begin and end: in JSON after the `[` of `"issue"` and before the space
    /// ahead of the last `]` (issue is the last member); in XML from the space ahead of the first
    /// `<issue` to the space ahead of the closing tag.
    private static func cut(_ bytes: [UInt8], _ syntax: BundleSyntax) throws(FHIRDiagnostic) -> (Int, Int) {
        let problem = FHIRDiagnostic(code: .invalidValue, message: "the OperationOutcome does not have the expected shape")
        switch syntax {
        case .json:
            guard let key = find(Array("\"issue\"".utf8), in: bytes),
                  let open = bytes[key...].firstIndex(of: UInt8(ascii: "[")),
                  let close = bytes.lastIndex(of: UInt8(ascii: "]")) else { throw problem }
            return (open + 1, trimmingSpace(backFrom: close, in: bytes))
        case .xml:
            guard let first = find(Array("<issue".utf8), in: bytes),
                  let closing = find(Array("</OperationOutcome>".utf8), in: bytes) else { throw problem }
            return (trimmingSpace(backFrom: first, in: bytes), trimmingSpace(backFrom: closing, in: bytes))
        }
    }

    private static func trimmingSpace(backFrom index: Int, in bytes: [UInt8]) -> Int {
        var start = index
        while start > 0, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[start - 1]) { start -= 1 }
        return start
    }

    private static func find(_ needle: [UInt8], in bytes: [UInt8]) -> Int? {
        guard bytes.count >= needle.count else { return nil }
        for start in 0...(bytes.count - needle.count) where bytes[start] == needle[0] {
            if bytes[start..<(start + needle.count)].elementsEqual(needle) { return start }
        }
        return nil
    }
}
