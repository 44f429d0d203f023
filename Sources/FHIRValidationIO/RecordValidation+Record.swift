public import FHIRBatch
public import FHIRValidation

extension RecordValidation {
    /// One record validated on its own, as `validate` validates an input that holds only it: the
    /// record is its own context, and the findings are placed in the record's origin (an NDJSON
    /// record's line numbers are the input's). For callers that receive records one at a time
    /// rather than as files (`serve`'s `$validate`).
    public func validate(_ record: RawRecord, isXML: Bool) -> [ValidationFinding] {
        validate([decode(record, isXML: isXML)], members: [0])[0]
    }
}
