import FHIRBatch
import FHIRCore
import LocalRecords

/// `--from local`: one local record (a JSON object on an NDJSON line) becomes its FHIR resource.
struct LocalRecordDecoder: RecordDecoder {
    let toFHIR: LocalToFHIR

    func decode(_ record: RawRecord) throws(FHIRDiagnostic) -> DecodedRecord {
        guard case .bytes(let bytes) = record.payload else {
            throw FHIRDiagnostic(code: .invalidValue, message: "a parsed XML entry is not a local record")
        }
        do {
            let origin = LocalRecordOrigin(file: record.origin.input, line: record.origin.line)
            return DecodedRecord(resources: try toFHIR.resources(forLine: bytes, origin: origin))
        } catch {
            // The error names the record, field, value and ConceptMap; the pipeline adds the file.
            var diagnostic = error.diagnostic
            diagnostic.file = nil
            diagnostic.location = SourceLocation(
                line: record.origin.line, column: 1, byteOffset: record.origin.byteOffset)
            throw diagnostic
        }
    }
}

/// `--to local`: a FHIR resource becomes one local record line.
struct LocalRecordEncoder: RecordEncoder {
    let toLocal: FHIRToLocal
    var shape: OutputShape { .lines }

    func encode(_ resource: AnyResource) throws(FHIRDiagnostic) -> [UInt8] {
        do {
            return try toLocal.localJSON(for: resource)
        } catch {
            var diagnostic = error.diagnostic
            diagnostic.file = nil
            diagnostic.location = nil
            diagnostic.fhirPath = error.fhirPath
            throw diagnostic
        }
    }
}
