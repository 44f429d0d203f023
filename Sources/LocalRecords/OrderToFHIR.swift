internal import FHIRCore

extension LocalToFHIR {
    /// An order as a MedicationRequest.
    ///
    /// | local | FHIR |
    /// | --- | --- |
    /// | `id` | `identifier` (order system) and the resource id (name-based UUID) |
    /// | `mrn` | `subject.identifier` |
    /// | `weight`, `height` | contained body-weight/height `Observation`s in `supportingInformation` |
    /// | `indication` | `reasonCode` (ConceptMap) |
    /// | `product` | contained `Medication` (`medicationReference`) |
    /// | `dose_per_day` | `dosageInstruction[0].doseAndRate[0].doseQuantity` (type `ordered`) |
    /// | `dose_per_kg` | extension `course-dose-per-kg` on the Dosage |
    /// | `days` | `dosageInstruction[0].timing.repeat.count` (once a day) |
    /// | `interval` | extension `course-interval` on the Dosage |
    /// | `initial_rate`, `max_rate` | `rateRange.low`/`.high` (`rateQuantity` when there is no maximum) |
    /// | `premedication` | extension `premedication` (one per line) |
    /// | `prescriber` | `requester.identifier` |
    /// | `ordered_at` | `authoredOn` |
    /// | `status` | `status` (ConceptMap) |
    /// | `comment` | `note[0].text` |
    func medicationRequest(for order: LocalOrder) throws(LocalRecordError) -> MedicationRequest {
        let status = try mappings.code(for: order.status, role: .orderStatus, in: FHIRSystems.medicationRequestStatus,
                                       field: "status")
        var contained: [AnyResource] = [.medication(try medication(product: order.product, lot: nil, field: "product"))]
        var supporting: [Reference] = []
        contained.append(.observation(dosingObservation(
            id: "weight", code: FHIRCodes.bodyWeight,
            value: try quantity(order.weight, field: "weight", kinds: Kinds.bodyWeight), mrn: order.mrn)))
        supporting.append(Reference(reference: "#weight"))
        if let height = order.height {
            contained.append(.observation(dosingObservation(
                id: "height", code: FHIRCodes.bodyHeight,
                value: try quantity(height, field: "height", kinds: Kinds.length), mrn: order.mrn)))
            supporting.append(Reference(reference: "#height"))
        }

        var dosageExtensions = [Extension(
            url: LocalExtensions.courseDosePerKg,
            value: .quantity(try quantity(order.dosePerKg, field: "dose_per_kg", kinds: Kinds.dosePerKg)))]
        if let interval = order.interval {
            let value = try quantity(interval, field: "interval", kinds: Kinds.duration)
            dosageExtensions.append(Extension(url: LocalExtensions.courseInterval, value: .duration(Duration(
                value: value.value, unit: value.unit, system: value.system, code: value.code))))
        }
        let initialRate = try quantity(order.initialRate, field: "initial_rate", kinds: Kinds.rate)
        let rate: Dosage.DoseAndRate.RateX
        if let maxRate = order.maxRate {
            rate = .range(Range(low: initialRate, high: try quantity(maxRate, field: "max_rate", kinds: Kinds.rate)))
        } else {
            rate = .quantity(initialRate)
        }
        let dosage = Dosage(
            extension: dosageExtensions,
            sequence: 1,
            timing: Timing(repeat: Timing.Repeat(
                count: .init(Int32(order.days)), frequency: 1, period: .init(try! FHIRDecimal("1")), periodUnit: "d")),
            route: intravenous,
            doseAndRate: [Dosage.DoseAndRate(
                type: concept(system: FHIRSystems.doseRateType, code: "ordered"),
                dose: .quantity(try quantity(order.dosePerDay, field: "dose_per_day", kinds: Kinds.mass)),
                rate: rate)])

        return MedicationRequest(
            id: .init(resourceID(kind: .order, id: order.id)),
            contained: contained,
            extension: order.premedication.map { Extension(url: LocalExtensions.premedication, value: .string(.init($0))) },
            identifier: [identifier(kind: .order, id: order.id)],
            status: .init(status.code),
            intent: "order",
            medication: .reference(Reference(reference: "#product")),
            subject: patient(order.mrn),
            supportingInformation: supporting,
            authoredOn: try dateTime(order.orderedAt, field: "ordered_at"),
            requester: staff(order.prescriber),
            reasonCode: [concept(try mappings.codings(for: order.indication, role: .indication, field: "indication"))],
            note: note(order.comment),
            dosageInstruction: [dosage])
    }

    /// The weight or height the order was dosed on, as a contained Observation.
    private func dosingObservation(
        id: String, code: (code: String, display: String), value: Quantity, mrn: String
    ) -> Observation {
        Observation(
            id: .init(id),
            status: "final",
            category: [concept(system: FHIRSystems.observationCategory, code: "vital-signs")],
            code: concept(system: FHIRSystems.loinc, code: code.code, display: code.display),
            subject: patient(mrn),
            value: .quantity(value))
    }
}
