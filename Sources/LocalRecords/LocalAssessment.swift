/// A local assessment (`"kind": "assessment"`): a weight, a strength score, a lab value.
///
/// Becomes a FHIR `Observation`, based on the order it is a baseline or follow-up for.
public struct LocalAssessment: Hashable, Sendable {
    /// `id`: the assessment id.
    public var id: String
    /// `mrn`: the patient's medical record number.
    public var mrn: String
    /// `type`: the local assessment kind code (`WT`, `GRIPR`, `MRC`).
    public var type: String
    /// `result`: the value with its local unit.
    public var result: LocalQuantity
    /// `taken_at`: when it was measured.
    public var takenAt: String
    /// `status`: the local result status code.
    public var status: String
    /// `timing`: whether it is a baseline or a follow-up for an order.
    public var timing: Timing?
    /// `order_id`: the order it is a baseline or follow-up for.
    public var orderID: String?
    /// `comment`: free text.
    public var comment: String?

    /// When an assessment was taken relative to the IVIG order.
    public enum Timing: String, Hashable, Sendable, CaseIterable {
        /// Before the first infusion of the order.
        case baseline
        /// After the order's infusions, to judge the response.
        case followUp = "follow-up"
    }

    /// Creates an assessment.
    public init(
        id: String, mrn: String, type: String, result: LocalQuantity, takenAt: String, status: String,
        timing: Timing? = nil, orderID: String? = nil, comment: String? = nil
    ) {
        self.id = id
        self.mrn = mrn
        self.type = type
        self.result = result
        self.takenAt = takenAt
        self.status = status
        self.timing = timing
        self.orderID = orderID
        self.comment = comment
    }
}
