public import FHIRCore

extension OperationOutcome {
    /// The code system of ivig-fhir's rule ids, used in `issue.details.coding`.
    public static let ruleCodeSystem = "https://ivig-fhir.example.org/CodeSystem/validation-rule"
    /// Extension on an issue: the line of the input it was found on (integer).
    public static let issueLineExtension = "http://hl7.org/fhir/StructureDefinition/operationoutcome-issue-line"
    /// Extension on an issue: the column of the input it was found on (integer).
    public static let issueColumnExtension = "http://hl7.org/fhir/StructureDefinition/operationoutcome-issue-col"
    /// Extension on an issue: the id of the rule that produced it (string), as the HL7 validator writes it.
    public static let messageIDExtension = "http://hl7.org/fhir/StructureDefinition/operationoutcome-message-id"
    /// Extension on the OperationOutcome: the file its issues were found in (string), as the HL7
    /// validator writes it when it validates several files.
    public static let fileExtension = "http://hl7.org/fhir/StructureDefinition/operationoutcome-file"

    /// The findings as an OperationOutcome: one issue each, with severity, `issue-type` code,
    /// the rule id (in `details.coding` and the message-id extension), the message
    /// (`details.text`), the FHIRPath (`expression`) and the line and column (extensions).
    ///
    /// FHIR requires at least one issue, so no findings give one `information` issue saying so,
    /// as the HL7 validator does.
    ///
    /// - Parameters:
    ///   - findings: What validation found, in the order to report it.
    ///   - file: The input the findings are about, recorded with the file extension.
    public init(findings: [ValidationFinding], file: String? = nil) {
        var issues = findings.map(Self.issue)
        if issues.isEmpty {
            issues = [
                Issue(
                    severity: "information", code: "informational",
                    details: CodeableConcept(text: "No issues found"))
            ]
        }
        self.init(
            // A file name may hold characters that XML cannot carry and a terminal would act on.
            extension: file.map {
                [Extension(url: Self.fileExtension, value: .string(FHIRPrimitive(FHIRDiagnostic.printable($0))))]
            } ?? [],
            issue: issues)
    }

    private static func issue(_ finding: ValidationFinding) -> Issue {
        var extensions = [Extension(url: messageIDExtension, value: .string(FHIRPrimitive(finding.ruleID)))]
        if let location = finding.location {
            extensions.append(
                Extension(url: issueLineExtension, value: .integer(FHIRPrimitive(Int32(clamping: location.line)))))
            extensions.append(
                Extension(url: issueColumnExtension, value: .integer(FHIRPrimitive(Int32(clamping: location.column)))))
        }
        return Issue(
            extension: extensions,
            severity: FHIRPrimitive(finding.severity.rawValue),
            code: FHIRPrimitive(finding.type.code),
            details: CodeableConcept(
                coding: [Coding(system: FHIRPrimitive(ruleCodeSystem), code: FHIRPrimitive(finding.ruleID))],
                text: FHIRPrimitive(finding.message)),
            expression: finding.fhirPath.map { [FHIRPrimitive($0)] } ?? [])
    }
}
