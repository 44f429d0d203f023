internal import ExactArithmetic
internal import FHIRCore

extension LocalToFHIR {
    /// An order as a MedicationRequest.
    ///
    /// | local | FHIR |
    /// | --- | --- |
    /// | `id` | `identifier` (order system) and the resource id (name-based UUID) |
    /// | `mrn` | `subject.identifier` |
    /// | `weight`, `height` | contained body-weight/height `Observation`s in `supportingInformation`, effective at `ordered_at` |
    /// | `indication` | `reasonCode` (ConceptMap) |
    /// | `product` | contained `Medication` (`medicationReference`) |
    /// | `dose_per_day` | `dosageInstruction[0].doseAndRate[0].doseQuantity` (type `ordered`) |
    /// | `dose_per_kg` | extension `course-dose-per-kg` on the Dosage |
    /// | `days` | `dosageInstruction[0].timing.repeat.count` (once a day); with an `interval`, `frequency` |
    /// | `interval` | `timing.repeat.period` and `periodUnit` (`days` infusions every `interval`; the typed unit in `originalText` on `periodUnit` when it is not the UCUM code) |
    /// | `initial_rate`, `max_rate` | `rateRange.low`/`.high` (`rateQuantity` when there is no maximum) |
    /// | `premedication` | extension `premedication` (one per line) |
    /// | `prescriber` | `requester.identifier` |
    /// | `ordered_at` | `authoredOn` |
    /// | `status` | `status` (ConceptMap) |
    /// | `comment` | `note[0].text` |
    func medicationRequest(for order: LocalOrder) throws(LocalRecordError) -> MedicationRequest {
        let status = try mappings.code(
            for: order.status, role: .orderStatus, in: FHIRSystems.medicationRequestStatus,
            field: "status")
        var contained: [AnyResource] = [.medication(try medication(product: order.product, lot: nil, field: "product"))]
        var supporting: [Reference] = []
        contained.append(
            .observation(
                dosingObservation(
                    id: "weight", code: FHIRCodes.bodyWeight,
                    value: try quantity(order.weight, field: "weight", kinds: Kinds.bodyWeight), order: order)))
        supporting.append(Reference(reference: "#weight"))
        if let height = order.height {
            contained.append(
                .observation(
                    dosingObservation(
                        id: "height", code: FHIRCodes.bodyHeight,
                        value: try quantity(height, field: "height", kinds: Kinds.length), order: order)))
            supporting.append(Reference(reference: "#height"))
        }

        let dosageExtensions = [
            Extension(
                url: LocalExtensions.courseDosePerKg,
                value: .quantity(try quantity(order.dosePerKg, field: "dose_per_kg", kinds: Kinds.dosePerKg)))
        ]
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
            timing: Timing(repeat: try repetition(days: order.days, interval: order.interval)),
            route: intravenous,
            doseAndRate: [
                Dosage.DoseAndRate(
                    type: concept(system: FHIRSystems.doseRateType, code: "ordered"),
                    dose: .quantity(try quantity(order.dosePerDay, field: "dose_per_day", kinds: Kinds.mass)),
                    rate: rate)
            ])

        return MedicationRequest(
            id: .init(resourceID(kind: .order, id: order.id)),
            contained: contained,
            extension: order.premedication.map {
                Extension(url: LocalExtensions.premedication, value: .string(.init($0)))
            },
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

    /// When the course's infusions are given, in standard FHIR Timing:
    /// - a single course: `count` = `days`, once a day (`frequency 1`, `period 1 d`);
    /// - a course repeated every `interval` (maintenance): `frequency` = `days` per `period`
    ///   = `interval` (`frequency 1, period 3, periodUnit wk` for one day every 3 weeks), with
    ///   no `count` (the order repeats until stopped). FHIR has no element for "consecutive
    ///   days": `days` infusions per period are read as one course of that many consecutive days
    ///   (validation reads them so too). The typed unit is kept in the `originalText` extension
    ///   on `periodUnit` when it is not the UCUM code itself (`weeks` for `wk`).
    /// - Throws: ``LocalRecordError`` when the interval's unit is not a FHIR unit of time
    ///   (s, min, h, d, wk, mo, a) or the interval is not longer than the course.
    private func repetition(days: Int, interval: LocalQuantity?) throws(LocalRecordError) -> Timing.Repeat {
        guard let interval else {
            return Timing.Repeat(
                count: .init(Int32(days)), frequency: 1, period: .init(try! FHIRDecimal("1")), periodUnit: "d")
        }
        let quantity = try quantity(interval, field: "interval", kinds: Kinds.duration)
        let code = quantity.code?.value ?? ""
        guard FHIRUnitsOfTime.codes.contains(code) else {
            throw LocalRecordError(
                .invalidValue,
                "unit \(LocalJSONText.quoted(interval.unit ?? "")) (UCUM \(code)) is not a unit FHIR Timing accepts (\(FHIRUnitsOfTime.codes.joined(separator: ", ")))",
                field: "interval.unit", value: LocalJSONText.quoted(interval.unit ?? ""),
                conceptMap: mappings.searched(.unit))
        }
        guard let intervalDays = FHIRUnitsOfTime.days(interval.value, code: code), ExactRational(days) < intervalDays
        else {
            throw LocalRecordError(
                .invalidValue,
                "a maintenance interval must be longer than the course it repeats (\(days) day\(days == 1 ? "" : "s"))",
                field: "interval", value: "\(interval.value.text) \(interval.unit ?? "")")
        }
        var periodUnit = FHIRPrimitive<String>(code)
        if let typed = interval.unit, typed != code {
            periodUnit.extension = [Extension(url: FHIRExtensions.originalText, value: .string(.init(typed)))]
        }
        return Timing.Repeat(frequency: .init(Int32(days)), period: .init(interval.value), periodUnit: periodUnit)
    }

    /// The weight or height the order was dosed on, as a contained Observation, effective when
    /// the order was written (the core vital-signs profiles need an effective[x]; a malformed
    /// `ordered_at` is the order's own error, reported for `authoredOn`).
    private func dosingObservation(
        id: String, code: (code: String, display: String), value: Quantity, order: LocalOrder
    ) -> Observation {
        Observation(
            id: .init(id),
            status: "final",
            category: [concept(system: FHIRSystems.observationCategory, code: "vital-signs")],
            code: concept(system: FHIRSystems.loinc, code: code.code, display: code.display),
            subject: patient(order.mrn),
            effective: (try? dateTime(order.orderedAt, field: "ordered_at")).map { .dateTime($0) },
            value: .quantity(value))
    }
}
