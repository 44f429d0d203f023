internal import FHIRCore

extension FHIRToLocal {
    /// An AdverseEvent back to a reaction (the reverse of ``LocalToFHIR``'s reaction table).
    func reaction(from event: AdverseEvent) throws(LocalRecordError) -> LocalReaction {
        var reading = Reading(mappings: mappings, kind: .reaction, resourceType: "AdverseEvent")
        let systems = mappings.identifierSystems
        let id = try reading.localID(
            event.identifier.map { [$0] } ?? [], system: systems.reaction, field: "id", path: "identifier")
        reading.recordID = id

        let seriousness = try reading.require(
            event.seriousness?.coding.first(where: { $0.system?.value == FHIRSystems.adverseEventSeriousness })?.code?
                .value,
            field: "serious", path: "seriousness")
        guard seriousness == FHIRCodes.serious || seriousness == FHIRCodes.nonSerious else {
            throw reading.error(
                .invalidValue, "expected \(FHIRCodes.serious) or \(FHIRCodes.nonSerious), found \(seriousness)",
                field: "serious", path: "seriousness")
        }
        var action: String?
        if case .codeableConcept(let concept)? = reading.extensionValue(event.extension, LocalExtensions.reactionAction)
        {
            action = try reading.code(
                concept, role: .reactionAction, field: "action", path: "extension.valueCodeableConcept")
        }
        return LocalReaction(
            id: id,
            mrn: try reading.referencedID(event.subject, system: systems.patient, field: "mrn", path: "subject"),
            infusionID: try reading.referencedID(
                event.suspectEntity.first?.instance, system: systems.infusion,
                field: "infusion_id", path: "suspectEntity[0].instance"),
            type: try reading.code(event.event, role: .reactionType, field: "type", path: "event"),
            severity: try reading.code(event.severity, role: .reactionSeverity, field: "severity", path: "severity"),
            serious: seriousness == FHIRCodes.serious,
            onset: try reading.dateTime(event.date, field: "onset", path: "date"),
            action: action,
            outcome: try event.outcome.map { (outcome) throws(LocalRecordError) in
                try reading.code(outcome, role: .reactionOutcome, field: "outcome", path: "outcome")
            })
    }
}
