internal import FHIRCore

extension FHIRToLocal {
    /// An Observation back to an assessment (the reverse of ``LocalToFHIR``'s assessment table).
    func assessment(from observation: Observation) throws(LocalRecordError) -> LocalAssessment {
        var reading = Reading(mappings: mappings, kind: .assessment, resourceType: "Observation")
        let systems = mappings.identifierSystems
        let id = try reading.localID(
            observation.identifier, system: systems.assessment, field: "id", path: "identifier")
        reading.recordID = id

        guard case .quantity(let value)? = observation.value else {
            throw reading.error(.missingField, "no valueQuantity", field: "result", path: "valueQuantity")
        }
        guard case .dateTime(let taken)? = observation.effective else {
            throw reading.error(.missingField, "no effectiveDateTime", field: "taken_at", path: "effectiveDateTime")
        }
        var timing: LocalAssessment.Timing?
        if case .code(let code)? = reading.extensionValue(observation.extension, LocalExtensions.assessmentTiming) {
            guard let text = code.value, let value = LocalAssessment.Timing(rawValue: text) else {
                throw reading.error(
                    .invalidValue, "expected baseline or follow-up, found \(code.value ?? "no value")",
                    field: "timing", path: "extension.valueCode")
            }
            timing = value
        }
        return LocalAssessment(
            id: id,
            mrn: try reading.referencedID(observation.subject, system: systems.patient, field: "mrn", path: "subject"),
            type: try reading.code(observation.code, role: .assessmentType, field: "type", path: "code"),
            result: try reading.quantity(value, field: "result", path: "valueQuantity"),
            takenAt: try reading.dateTime(taken, field: "taken_at", path: "effectiveDateTime"),
            status: try reading.status(observation.status, role: .assessmentStatus, field: "status"),
            timing: timing,
            orderID: try observation.basedOn.first.map { (reference) throws(LocalRecordError) in
                try reading.referencedID(reference, system: systems.order, field: "order_id", path: "basedOn[0]")
            },
            comment: observation.note.first?.text?.value)
    }
}
