import FHIRBatch
import FHIRCore
import FHIRValidation
import FHIRValidationIO
import FHIRXML

/// `convert --validate`: every check of `validate` (the definitions and profiles, units, dosing,
/// the narrative of JSON) on each record, through the same validation step.
///
/// Each record is its own context (a Bundle's entries are checked against each other); a
/// streaming batch does not hold the other records, so rules that need them report the missing
/// context as information, which is not shown here. Errors reject the record; warnings are shown.
struct ValidationCheck: RawRecordCheck {
    let step: RecordValidation
    /// Whether the records are FHIR as read (JSON, NDJSON, XML); local records are checked as
    /// the FHIR resources they map to.
    let recordsAreFHIR: Bool

    func check(_ record: DecodedRecord, raw: RawRecord) -> [FHIRDiagnostic] {
        let findings: [ValidationFinding]
        if recordsAreFHIR {
            var isXML = false
            switch raw.payload {
            case .xmlEntry: isXML = true
            case .bytes(let bytes): isXML = FHIRFormatSniffer.detect(bytes) == .xml
            }
            findings = step.standalone(raw, isXML: isXML)
        } else {
            findings = step.standalone(converted: record.resources, origin: raw.origin)
        }
        return findings.compactMap { finding -> FHIRDiagnostic? in
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
