/// Which local field a code or unit comes from, and so which local code system and which
/// ConceptMap groups translate it. The names are the keys of `localCodeSystems` in
/// `Mappings/local-mappings.json`.
public enum LocalCodeRole: String, Hashable, Sendable, CaseIterable {
    /// Order `indication` → SNOMED CT / ICD-10-CM (MedicationRequest.reasonCode).
    case indication
    /// Order and infusion `product` → ivig-product, ATC, SNOMED CT (Medication.code).
    case product
    /// Assessment `type` → LOINC or ivig-assessment (Observation.code), observation category.
    case assessmentType
    /// Reaction `type` → SNOMED CT or ivig-reaction (AdverseEvent.event).
    case reactionType
    /// Reaction `severity` → AdverseEvent.severity.
    case reactionSeverity
    /// Reaction `outcome` → AdverseEvent.outcome.
    case reactionOutcome
    /// Reaction `action` → reaction-action (extension on AdverseEvent).
    case reactionAction
    /// Order `status` → MedicationRequest.status.
    case orderStatus
    /// Infusion `status` → MedicationAdministration.status.
    case infusionStatus
    /// Assessment `status` → Observation.status.
    case assessmentStatus
    /// Every `unit` → UCUM (Quantity.code).
    case unit

    /// The target system that must be present among the role's ConceptMap groups, when the
    /// mapping needs exactly that system (a FHIR status, UCUM, the product table).
    var requiredTarget: String? {
        switch self {
        case .product: return FHIRSystems.ivigProduct
        case .reactionSeverity: return FHIRSystems.adverseEventSeverity
        case .reactionOutcome: return FHIRSystems.adverseEventOutcome
        case .orderStatus: return FHIRSystems.medicationRequestStatus
        case .infusionStatus: return FHIRSystems.medicationAdminStatus
        case .assessmentStatus: return FHIRSystems.observationStatus
        case .unit: return FHIRSystems.ucum
        case .indication, .assessmentType, .reactionType, .reactionAction: return nil
        }
    }

    /// The codes allowed in `requiredTarget`, when FHIR fixes them (statuses, severity, outcome).
    var allowedTargetCodes: Set<String>? {
        switch self {
        case .reactionSeverity: return ["mild", "moderate", "severe"]
        case .reactionOutcome: return ["resolved", "recovering", "ongoing", "resolvedWithSequelae", "fatal", "unknown"]
        case .orderStatus:
            return ["active", "on-hold", "cancelled", "completed", "entered-in-error", "stopped", "draft", "unknown"]
        case .infusionStatus:
            return ["in-progress", "not-done", "on-hold", "completed", "entered-in-error", "stopped", "unknown"]
        case .assessmentStatus:
            return [
                "registered", "preliminary", "final", "amended", "corrected", "cancelled", "entered-in-error",
                "unknown",
            ]
        case .indication, .product, .assessmentType, .reactionType, .reactionAction, .unit: return nil
        }
    }
}
