import FHIRBatch
import FHIRCore
import FHIRValidation
import FHIRValidationIO

/// `convert --validate`: every check of `validate` (structure, units, dosing, the narrative of
/// JSON) on each record, through the same validation step.
///
/// Each record is its own context (a Bundle's entries are checked against each other); a
/// streaming batch does not hold the other records, so rules that need them report the missing
/// context as information, which is not shown here. Errors reject the record; warnings are shown.
struct ValidationCheck: RawRecordCheck {
    let step: RecordValidation

    func check(_ record: DecodedRecord, raw: RawRecord) -> [FHIRDiagnostic] {
        step.standalone(record.resources, raw: raw).compactMap { finding -> FHIRDiagnostic? in
            let severity: FHIRDiagnostic.Severity
            switch finding.severity {
            case .fatal, .error: severity = .error
            case .warning: severity = .warning
            case .information: return nil
            }
            return FHIRDiagnostic(
                severity, code: .invalidValue, message: "\(finding.message) [\(finding.ruleID)]",
                fhirPath: finding.fhirPath, location: finding.location)
        }
    }
}
