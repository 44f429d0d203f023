import FHIRBatch
import FHIRCore
import FHIRValidation

/// `convert --validate`: the validator's structure, unit and dosing checks on each record.
///
/// Each record is its own context (a Bundle's entries are checked against each other); a
/// streaming batch does not hold the other records, so rules that need them report the missing
/// context as information, which is not shown here. Errors reject the record; warnings are shown.
struct ValidationCheck: RecordCheck {
    let validator: Validator

    func check(_ record: DecodedRecord, origin: RecordOrigin) -> [FHIRDiagnostic] {
        record.resources.flatMap { resource in
            validator.validate(resource).compactMap { finding -> FHIRDiagnostic? in
                let severity: FHIRDiagnostic.Severity
                switch finding.severity {
                case .fatal, .error: severity = .error
                case .warning: severity = .warning
                case .information: return nil
                }
                // The record's first line: findings carry FHIRPaths, not positions in the record.
                return FHIRDiagnostic(
                    severity, code: .invalidValue, message: "\(finding.message) [\(finding.ruleID)]",
                    fhirPath: finding.fhirPath,
                    location: SourceLocation(line: origin.line, column: 1, byteOffset: origin.byteOffset))
            }
        }
    }
}
