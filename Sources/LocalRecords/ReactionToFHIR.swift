internal import FHIRCore

extension LocalToFHIR {
    /// A reaction as an AdverseEvent.
    ///
    /// | local | FHIR |
    /// | --- | --- |
    /// | `id` | `identifier` (reaction system) and the resource id |
    /// | `mrn` | `subject.identifier` |
    /// | `infusion_id` | `suspectEntity[0].instance` (urn:uuid of the infusion, with its identifier) |
    /// | `type` | `event` (ConceptMap: SNOMED CT or ivig-reaction) |
    /// | `severity` | `severity` (ConceptMap) |
    /// | `serious` | `seriousness` (`Serious` / `Non-serious`) |
    /// | `onset` | `date` |
    /// | `action` | extension `reaction-action` (ConceptMap) |
    /// | `outcome` | `outcome` (ConceptMap) |
    func adverseEvent(for reaction: LocalReaction) throws(LocalRecordError) -> AdverseEvent {
        let severity = try mappings.code(
            for: reaction.severity, role: .reactionSeverity,
            in: FHIRSystems.adverseEventSeverity, field: "severity")
        let outcome = try reaction.outcome.map { (code) throws(LocalRecordError) in
            try mappings.code(for: code, role: .reactionOutcome, in: FHIRSystems.adverseEventOutcome, field: "outcome")
        }
        let action = try reaction.action.map { (code) throws(LocalRecordError) in
            try mappings.codings(for: code, role: .reactionAction, field: "action")
        }
        return AdverseEvent(
            id: .init(resourceID(kind: .reaction, id: reaction.id)),
            extension: action.map {
                [Extension(url: LocalExtensions.reactionAction, value: .codeableConcept(concept($0)))]
            } ?? [],
            identifier: identifier(kind: .reaction, id: reaction.id),
            actuality: "actual",
            event: concept(try mappings.codings(for: reaction.type, role: .reactionType, field: "type")),
            subject: patient(reaction.mrn),
            date: try dateTime(reaction.onset, field: "onset"),
            seriousness: concept(
                system: FHIRSystems.adverseEventSeriousness,
                code: reaction.serious ? FHIRCodes.serious : FHIRCodes.nonSerious),
            severity: concept([severity]),
            outcome: outcome.map { concept([$0]) },
            suspectEntity: [
                AdverseEvent.SuspectEntity(
                    instance: reference(to: .infusion, id: reaction.infusionID, type: "MedicationAdministration"))
            ])
    }
}
