internal import ExactArithmetic
internal import FHIRCore

extension FHIRToLocal {
    /// A MedicationRequest back to an order (the reverse of ``LocalToFHIR``'s order table).
    func order(from request: MedicationRequest) throws(LocalRecordError) -> LocalOrder {
        var reading = Reading(mappings: mappings, kind: .order, resourceType: "MedicationRequest")
        let id = try reading.localID(
            request.identifier, system: mappings.identifierSystems.order, field: "id", path: "identifier")
        reading.recordID = id
        let mrn = try reading.referencedID(
            request.subject, system: mappings.identifierSystems.patient, field: "mrn", path: "subject")

        // The dosing weight and height: contained Observations named in supportingInformation.
        var weight: LocalQuantity?
        var height: LocalQuantity?
        for (index, reference) in request.supportingInformation.enumerated() {
            let path = "supportingInformation[\(index)]"
            guard reference.reference?.value?.hasPrefix("#") == true,
                case .observation(let observation) = try reading.contained(
                    reference, in: request.contained, field: "weight", path: path),
                case .quantity(let value)? = observation.value
            else { continue }
            let codes =
                observation.code?.coding.filter { $0.system?.value == FHIRSystems.loinc }.compactMap(\.code?.value)
                ?? []
            if codes.contains(FHIRCodes.bodyWeight.code) {
                weight = try reading.quantity(
                    value, field: "weight", path: "contained.ofType(Observation).valueQuantity")
            } else if codes.contains(FHIRCodes.bodyHeight.code) {
                height = try reading.quantity(
                    value, field: "height", path: "contained.ofType(Observation).valueQuantity")
            }
        }

        let product = try reading.product(
            reference: request.medication.flatMap { if case .reference(let value) = $0 { value } else { nil } },
            concept: request.medication.flatMap { if case .codeableConcept(let value) = $0 { value } else { nil } },
            contained: request.contained, path: "medicationReference")

        let dosage = try reading.require(
            request.dosageInstruction.first, field: "dose_per_day", path: "dosageInstruction")
        let doseAndRate = try reading.require(
            dosage.doseAndRate.first, field: "dose_per_day", path: "dosageInstruction[0].doseAndRate")
        let dosePath = "dosageInstruction[0].doseAndRate[0]"
        guard case .quantity(let dose)? = doseAndRate.dose else {
            throw reading.error(
                .missingField, "no doseQuantity", field: "dose_per_day", path: dosePath + ".doseQuantity")
        }
        let initialRate: LocalQuantity
        var maxRate: LocalQuantity?
        switch doseAndRate.rate {
        case .range(let range)?:
            initialRate = try reading.quantity(range.low, field: "initial_rate", path: dosePath + ".rateRange.low")
            if let high = range.high {
                maxRate = try reading.quantity(high, field: "max_rate", path: dosePath + ".rateRange.high")
            }
        case .quantity(let rate)?:
            initialRate = try reading.quantity(rate, field: "initial_rate", path: dosePath + ".rateQuantity")
        default:
            throw reading.error(
                .missingField, "no rateRange or rateQuantity", field: "initial_rate", path: dosePath + ".rate[x]")
        }

        guard case .quantity(let perKg)? = reading.extensionValue(dosage.extension, LocalExtensions.courseDosePerKg)
        else {
            throw reading.error(
                .missingField, "no extension \(LocalExtensions.courseDosePerKg) with a valueQuantity",
                field: "dose_per_kg", path: "dosageInstruction[0].extension")
        }
        let (days, interval) = try courseTiming(dosage.timing?.repeat, reading: reading)

        let premedication = request.extension.filter { $0.url == LocalExtensions.premedication }.compactMap {
            ext -> String? in
            if case .string(let text)? = ext.value { return text.value } else { return nil }
        }
        return LocalOrder(
            id: id, mrn: mrn,
            weight: try reading.require(weight, field: "weight", path: "supportingInformation"),
            height: height,
            indication: try reading.code(
                request.reasonCode.first, role: .indication, field: "indication", path: "reasonCode[0]"),
            product: product.code,
            dosePerKg: try reading.quantity(
                perKg, field: "dose_per_kg", path: "dosageInstruction[0].extension.valueQuantity"),
            dosePerDay: try reading.quantity(dose, field: "dose_per_day", path: dosePath + ".doseQuantity"),
            days: days,
            interval: interval,
            initialRate: initialRate, maxRate: maxRate,
            premedication: premedication,
            prescriber: try reading.referencedID(
                request.requester, system: mappings.identifierSystems.staff,
                field: "prescriber", path: "requester"),
            orderedAt: try reading.dateTime(request.authoredOn, field: "ordered_at", path: "authoredOn"),
            status: try reading.status(request.status, role: .orderStatus, field: "status"),
            comment: request.note.first?.text?.value)
    }

    /// `days` and `interval` from `timing.repeat` (the reverse of the order's timing):
    /// `count` is the days of a single course; without `count`, `frequency` infusions (1 when
    /// absent) every `period` `periodUnit` is a course of that many days repeated at that interval,
    /// the interval's local unit being `periodUnit`'s `originalText`, else the unit map's spelling
    /// of the UCUM code.
    private func courseTiming(
        _ repetition: Timing.Repeat?, reading: Reading
    ) throws(LocalRecordError) -> (days: Int, interval: LocalQuantity?) {
        let path = "dosageInstruction[0].timing.repeat"
        if let count = repetition?.count?.value {
            return (Int(count), nil)
        }
        guard let period = repetition?.period?.value, let code = repetition?.periodUnit?.value else {
            throw reading.error(
                .missingField,
                "timing.repeat has neither a count (days of one course) nor a period (a maintenance interval)",
                field: "days", path: path + ".count")
        }
        let days = Int(repetition?.frequency?.value ?? 1)
        guard let intervalDays = FHIRUnitsOfTime.days(period, code: code), ExactRational(days) < intervalDays else {
            throw reading.error(
                .invalidValue,
                "without a count, \(days) infusion\(days == 1 ? "" : "s") every \(period.text) \(code) is not a course repeated at an interval longer than itself",
                field: "interval", path: path + ".period")
        }
        let typed = repetition?.periodUnit?.extension.first { $0.url == FHIRExtensions.originalText }
            .flatMap { if case .string(let text)? = $0.value { text.value } else { nil } }
        let interval = try reading.quantity(
            Quantity(
                value: .init(period), unit: typed.map { .init($0) }, system: .init(FHIRSystems.ucum), code: .init(code)),
            field: "interval", path: path + ".periodUnit")
        return (days, interval)
    }
}
