import FHIRCore
import FHIRValidation

/// Findings in the HL7 validator's `compact` output style: for each input a rule and the file
/// name, then one line per finding, `[line, col] FHIRPath: Severity - message {rule}` (`-1` for
/// an unknown position, `n/a` for no FHIRPath), each record's lines sorted by position.
public struct CompactReport: FindingsRenderer {
    private var currentFile: String?

    /// A compact report.
    public init() {}

    public mutating func start(inputs: [String]) -> [UInt8] { [] }

    public mutating func render(_ record: RecordFindings) -> [UInt8] {
        var text = ""
        if record.input != currentFile {
            if currentFile != nil { text += "\n" }
            text += "\n" + String(repeating: "-", count: 82) + "\n" + record.input + "\n"
            currentFile = record.input
        }
        let sorted = record.findings.enumerated().sorted { left, right in
            let leftPosition = Self.position(left.element), rightPosition = Self.position(right.element)
            return leftPosition != rightPosition ? leftPosition < rightPosition : left.offset < right.offset
        }
        for (_, finding) in sorted {
            let (line, column) = Self.position(finding)
            text +=
                "[\(line), \(column)] \(finding.fhirPath ?? "n/a"): \(finding.severity.display) - "
                + "\(finding.message) {\(finding.ruleID)}\n"
        }
        return Array(text.utf8)
    }

    public mutating func finish() -> [UInt8] { currentFile == nil ? [] : [0x0A] }

    private static func position(_ finding: ValidationFinding) -> (Int, Int) {
        (finding.location?.line ?? -1, finding.location?.column ?? -1)
    }
}
