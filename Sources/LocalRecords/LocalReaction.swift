/// A local infusion reaction (`"kind": "reaction"`).
///
/// Becomes a FHIR `AdverseEvent` whose suspect entity is the infusion's `MedicationAdministration`.
public struct LocalReaction: Hashable, Sendable {
    /// `id`: the reaction id.
    public var id: String
    /// `mrn`: the patient's medical record number.
    public var mrn: String
    /// `infusion_id`: the infusion during or after which it happened.
    public var infusionID: String
    /// `type`: the local reaction kind code (`HA` for headache).
    public var type: String
    /// `severity`: the local severity code.
    public var severity: String
    /// `serious`: whether it was a serious adverse event.
    public var serious: Bool
    /// `onset`: when it began.
    public var onset: String
    /// `action`: the local code of the action taken (rate slowed, stopped), if any was recorded.
    public var action: String?
    /// `outcome`: the local outcome code, if known.
    public var outcome: String?

    /// Creates a reaction.
    public init(
        id: String, mrn: String, infusionID: String, type: String, severity: String, serious: Bool,
        onset: String, action: String? = nil, outcome: String? = nil
    ) {
        self.id = id
        self.mrn = mrn
        self.infusionID = infusionID
        self.type = type
        self.severity = severity
        self.serious = serious
        self.onset = onset
        self.action = action
        self.outcome = outcome
    }
}
