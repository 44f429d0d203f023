public import FHIRCore
import FHIRValidation
import FHIRJSON
import FHIRXML

/// Writes validation reports for people (text lines) or software (an OperationOutcome in FHIR
/// JSON or XML, through the project's encoders).
public enum OutcomeRendering {
    /// `file:line:col: severity: message [rule] (FHIRPath)`, one line per finding, in input order.
    public static func text(_ reports: [ValidationRun.Report]) -> String {
        reports.flatMap(\.findings).map { $0.description + "\n" }.joined()
    }

    /// One OperationOutcome for a single input; for several, a `collection` Bundle of one
    /// OperationOutcome per input, each naming its file (as the HL7 validator does).
    public static func outcome(_ reports: [ValidationRun.Report]) -> AnyResource {
        if reports.count == 1 {
            return .operationOutcome(OperationOutcome(findings: reports[0].findings, file: reports[0].file))
        }
        return .bundle(Bundle(
            type: "collection",
            entry: reports.map { report in
                Bundle.Entry(resource: .operationOutcome(OperationOutcome(findings: report.findings, file: report.file)))
            }))
    }

    /// The outcome as pretty FHIR JSON.
    public static func json(_ reports: [ValidationRun.Report]) throws(FHIRDiagnostic) -> [UInt8] {
        try FHIRJSONEncoder(pretty: true).encode(outcome(reports))
    }

    /// The outcome as pretty FHIR XML.
    public static func xml(_ reports: [ValidationRun.Report]) throws(FHIRDiagnostic) -> [UInt8] {
        try FHIRXMLEncoder(pretty: true).encode(outcome(reports))
    }

    /// `summary: 3 inputs, 12 records read, 11 checked, 1 unreadable; 2 errors, 1 warning, 4 information`.
    ///
    /// Every record is either checked or unreadable (not FHIR at all, or breaking a rule the
    /// model enforces; each has a finding saying why), so the first counts add up.
    public static func summary(_ reports: [ValidationRun.Report]) -> String {
        let findings = reports.flatMap(\.findings)
        func count(_ severities: [ValidationFinding.Severity], _ name: String, plural: String? = nil) -> String {
            let number = findings.filter { severities.contains($0.severity) }.count
            return "\(number) \(number == 1 ? name : plural ?? name + "s")"
        }
        let inputs = reports.count == 1 ? "1 input" : "\(reports.count) inputs"
        let records = reports.reduce(0) { $0 + $1.records }
        let checked = reports.reduce(0) { $0 + $1.decodedRecords }
        return "summary: \(inputs), \(records) record\(records == 1 ? "" : "s") read, \(checked) checked, "
            + "\(records - checked) unreadable; "
            + [count([.fatal, .error], "error"), count([.warning], "warning"), count([.information], "information", plural: "information")]
            .joined(separator: ", ")
    }
}
