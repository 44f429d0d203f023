internal import FHIRCore

extension FHIRToLocal {
    /// A MedicationAdministration back to an infusion (the reverse of ``LocalToFHIR``'s infusion table).
    func infusion(from administration: MedicationAdministration) throws(LocalRecordError) -> LocalInfusion {
        var reading = Reading(mappings: mappings, kind: .infusion, resourceType: "MedicationAdministration")
        let systems = mappings.identifierSystems
        let id = try reading.localID(
            administration.identifier, system: systems.infusion, field: "id", path: "identifier")
        reading.recordID = id

        let product = try reading.product(
            reference: administration.medication.flatMap { if case .reference(let value) = $0 { value } else { nil } },
            concept: administration.medication.flatMap {
                if case .codeableConcept(let value) = $0 { value } else { nil }
            },
            contained: administration.contained, path: "medicationReference")

        let start: String
        var end: String?
        switch administration.effective {
        case .period(let period)?:
            start = try reading.dateTime(period.start, field: "start", path: "effectivePeriod.start")
            end = period.end?.value?.text
        case .dateTime(let time)?:
            start = try reading.dateTime(time, field: "start", path: "effectiveDateTime")
        case nil:
            throw reading.error(.missingField, "no effective[x]", field: "start", path: "effective[x]")
        }

        let dosage = administration.dosage
        var volume: LocalQuantity?
        if case .quantity(let value)? = reading.extensionValue(dosage?.extension ?? [], LocalExtensions.infusedVolume) {
            volume = try reading.quantity(value, field: "volume", path: "dosage.extension.valueQuantity")
        }
        var steps: [LocalInfusion.RateStep] = []
        for (index, step) in (dosage?.extension ?? []).filter({ $0.url == LocalExtensions.rateStep }).enumerated() {
            let field = "rate_steps[\(index)]"
            let path = "dosage.extension('rate-step')[\(index)]"
            guard case .dateTime(let at)? = reading.extensionValue(step.extension, "at"),
                case .quantity(let rate)? = reading.extensionValue(step.extension, "rate")
            else {
                throw reading.error(
                    .missingField, "a rate step needs an `at` valueDateTime and a `rate` valueQuantity",
                    field: field, path: path)
            }
            steps.append(
                LocalInfusion.RateStep(
                    at: try reading.dateTime(at, field: field + ".at", path: path + ".at"),
                    rate: try reading.quantity(rate, field: field + ".rate", path: path + ".rate")))
        }
        var reaction: Bool?
        if case .boolean(let flag)? = reading.extensionValue(administration.extension, LocalExtensions.infusionReaction)
        {
            reaction = flag.value
        }
        return LocalInfusion(
            id: id,
            orderID: try reading.referencedID(
                administration.request, system: systems.order, field: "order_id", path: "request"),
            mrn: try reading.referencedID(
                administration.subject, system: systems.patient, field: "mrn", path: "subject"),
            product: product.code, lot: product.lot,
            dose: try dosage?.dose.map { (dose) throws(LocalRecordError) in
                try reading.quantity(dose, field: "dose", path: "dosage.dose")
            },
            volume: volume, rateSteps: steps, start: start, end: end,
            status: try reading.status(administration.status, role: .infusionStatus, field: "status"),
            nurse: try administration.performer.first.map { (performer) throws(LocalRecordError) in
                try reading.referencedID(
                    performer.actor, system: systems.staff, field: "nurse", path: "performer[0].actor")
            },
            reaction: reaction,
            comment: administration.note.first?.text?.value)
    }
}
