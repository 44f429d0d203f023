internal import ExactArithmetic
internal import FHIRCore
internal import UCUM

extension LocalToFHIR {
    /// An infusion as a MedicationAdministration.
    ///
    /// | local | FHIR |
    /// | --- | --- |
    /// | `id` | `identifier` (infusion system) and the resource id |
    /// | `order_id` | `request` (urn:uuid of the order, with its identifier) |
    /// | `mrn` | `subject.identifier` |
    /// | `product`, `lot` | contained `Medication` (`code`, `batch.lotNumber`) |
    /// | `dose` | `dosage.dose` |
    /// | `volume` | extension `infused-volume` on `dosage` |
    /// | `rate_steps` | extension `rate-step` (`at`, `rate`) on `dosage`, in order; `dosage.rateQuantity` is the highest step (derived, for validators) |
    /// | `start`, `end` | `effectivePeriod` |
    /// | `status` | `status` (ConceptMap) |
    /// | `nurse` | `performer[0].actor.identifier` |
    /// | `reaction` | extension `infusion-reaction` |
    /// | `comment` | `note[0].text` |
    func medicationAdministration(for infusion: LocalInfusion) throws(LocalRecordError) -> MedicationAdministration {
        let status = try mappings.code(
            for: infusion.status, role: .infusionStatus, in: FHIRSystems.medicationAdminStatus,
            field: "status")
        var dosageExtensions: [Extension] = []
        if let volume = infusion.volume {
            dosageExtensions.append(
                Extension(
                    url: LocalExtensions.infusedVolume,
                    value: .quantity(try quantity(volume, field: "volume", kinds: Kinds.volume))))
        }
        var rates: [Quantity] = []
        for (index, step) in infusion.rateSteps.enumerated() {
            let field = "rate_steps[\(index)]"
            let rate = try quantity(step.rate, field: field + ".rate", kinds: Kinds.rate)
            rates.append(rate)
            dosageExtensions.append(
                Extension(
                    extension: [
                        Extension(url: "at", value: .dateTime(try dateTime(step.at, field: field + ".at"))),
                        Extension(url: "rate", value: .quantity(rate)),
                    ],
                    url: LocalExtensions.rateStep))
        }
        let dosage = MedicationAdministration.DosageComponent(
            extension: dosageExtensions,
            route: intravenous,
            dose: try infusion.dose.map { (dose) throws(LocalRecordError) in
                try quantity(dose, field: "dose", kinds: Kinds.mass)
            },
            rate: Self.highest(rates).map { .quantity($0) })

        var extensions: [Extension] = []
        if let reaction = infusion.reaction {
            extensions.append(Extension(url: LocalExtensions.infusionReaction, value: .boolean(.init(reaction))))
        }
        return MedicationAdministration(
            id: .init(resourceID(kind: .infusion, id: infusion.id)),
            contained: [.medication(try medication(product: infusion.product, lot: infusion.lot, field: "product"))],
            extension: extensions,
            identifier: [identifier(kind: .infusion, id: infusion.id)],
            status: .init(status.code),
            medication: .reference(Reference(reference: "#product")),
            subject: patient(infusion.mrn),
            effective: .period(
                Period(
                    start: try dateTime(infusion.start, field: "start"),
                    end: try infusion.end.map { (end) throws(LocalRecordError) in try dateTime(end, field: "end") })),
            performer: infusion.nurse.map { [MedicationAdministration.Performer(actor: staff($0))] } ?? [],
            request: reference(to: .order, id: infusion.orderID, type: "MedicationRequest"),
            note: note(infusion.comment),
            dosage: dosage)
    }

    /// The highest of the step rates, compared exactly through UCUM (`nil` when there are none,
    /// or when the steps are in units that cannot be compared, such as mL/h and mg/kg/min).
    static func highest(_ rates: [Quantity]) -> Quantity? {
        guard let unit = rates.first?.code?.value else { return nil }
        var best: (rate: Quantity, value: ExactDecimal)?
        for rate in rates {
            guard let code = rate.code?.value, let text = rate.value?.value?.text else { return nil }
            let value: ExactDecimal?
            if code == unit {
                value = ExactDecimal(text)  // the usual case: every step typed in one unit
            } else {
                value = (try? UCUM.convert(text, from: code, to: unit))?.value
            }
            guard let value else { return nil }
            if best == nil || value > best!.value { best = (rate, value) }
        }
        return best?.rate
    }
}
