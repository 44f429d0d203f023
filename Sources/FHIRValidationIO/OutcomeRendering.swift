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

    /// `3 files, 12 resources: 2 errors, 1 warning, 4 information`.
    public static func summary(_ reports: [ValidationRun.Report]) -> String {
        let findings = reports.flatMap(\.findings)
        func count(_ severities: [ValidationFinding.Severity], _ name: String, plural: String? = nil) -> String {
            let number = findings.filter { severities.contains($0.severity) }.count
            return "\(number) \(number == 1 ? name : plural ?? name + "s")"
        }
        let inputs = reports.count == 1 ? "1 input" : "\(reports.count) inputs"
        let resources = reports.reduce(0) { $0 + $1.records }
        return "\(inputs), \(resources) resource\(resources == 1 ? "" : "s"): "
            + [count([.fatal, .error], "error"), count([.warning], "warning"), count([.information], "information", plural: "information")]
            .joined(separator: ", ")
    }
}
