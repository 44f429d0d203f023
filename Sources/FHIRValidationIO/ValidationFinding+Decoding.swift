public import FHIRCore
public import FHIRValidation

extension ValidationFinding {
    /// A reader's diagnostic as the finding `validate` reports for it (rule, severity and issue
    /// type by its code), for callers that decode on their own, such as `serve`'s `$convert`.
    public init(decoding diagnostic: FHIRDiagnostic) {
        self = RecordDecoding.finding(for: diagnostic)
    }
}
