import FHIRCore

extension SampleEpisode {
    static let atcDisplay = "Immunoglobulins, normal human, for intravascular adm."
    static let intravenous = Build.concept(Build.snomed, "47625008", "Intravenous route")

    /// The product: its ivig-product code and ATC code, and its IgG strength per mL.
    mutating func medication(withBatch: Bool, id: String? = nil) -> Medication {
        var medication = Medication(id: FHIRPrimitive(id ?? medicationID))
        medication.code = Build.concept(
            [Build.coding(SampleCatalog.productSystem, product.code, product.display),
             Build.coding(Build.atc, "J06BA02", Self.atcDisplay)],
            text: "\(product.display) (\(product.concentration) mg/mL)")
        let strength = Ratio(numerator: Build.quantity(ScaledDecimal(product.concentration), "mg"),
                             denominator: Build.quantity(ScaledDecimal(1), "mL"))
        medication.ingredient = [Medication.Ingredient(
            item: .codeableConcept(Build.concept([], text: "Human normal immunoglobulin G")),
            isActive: rng.chance(50) ? true : nil, strength: strength)]
        if withBatch {
            let expiry = start.adding(days: rng.int(120...700))
            medication.batch = Medication.Batch(lotNumber: FHIRPrimitive("P\(rng.int(100_000...999_999))"),
                                                expirationDate: FHIRPrimitive(checked { try FHIRDateTime(expiry.dateText) }))
        }
        return medication
    }

    /// The product as the order and administrations point to it: a contained resource or a
    /// resource of its own.
    var medicationReference: Reference {
        Build.reference(containsMedication ? "#med" : "Medication/\(medicationID)", display: product.display)
    }

    /// How many courses the order covers: maintenance repeats, induction happens once.
    var cycles: Int { regimen.intervalDays > 0 ? 1 + index % 3 : 1 }

    /// The label's rates in mg/kg/min (one decimal).
    var initialRate: ScaledDecimal { rate.milligramsPerKgPerMinute(rate.initial, concentration: product.concentration) }
    var maximumRate: ScaledDecimal {
        let label = rate.milligramsPerKgPerMinute(rate.maximum, concentration: product.concentration)
        // Kawasaki disease: one slow infusion over 10-12 hours.
        return indication.isPaediatric ? ScaledDecimal(min(label.units, 33), scale: 1) : label
    }

    /// A rate in mg/kg/min as pumps are set: in mg/kg/min or in mL/kg/h at the product's
    /// concentration (mL/kg/h = mg/kg/min × 60 / (mg/mL)), exactly.
    func rateQuantity(_ milligramsPerKgPerMinute: ScaledDecimal, asVolume: Bool) -> Quantity {
        guard asVolume else { return Build.quantity(milligramsPerKgPerMinute.trimmed, "mg/kg/min") }
        let hundredths = milligramsPerKgPerMinute.rescaled(to: 1).units * 600 / product.concentration
        return Build.quantity(ScaledDecimal(hundredths, scale: 2), "mL/kg/h")
    }

    mutating func order() -> MedicationRequest {
        var order = MedicationRequest(id: FHIRPrimitive(orderID))
        if containsMedication { order.contained = [.medication(medication(withBatch: false, id: "med"))] }
        let end = start.adding(days: regimen.days - 1)
        let grams = dailyGrams
        if rng.chance(60) {
            let perDay = "\(gramsPerKg.trimmed.text) g/kg/day"
            order.text = Build.narrative([
                "IVIG (\(Build.xhtmlText(product.display))) <b>\(perDay)</b> for \(regimen.days) day(s)"
                    + " = \(grams.text) g/day for \(weightKg.text) kg",
                "Start at \(initialRate.trimmed.text) mg/kg/min &amp; increase to at most"
                    + " \(maximumRate.trimmed.text) mg/kg/min if tolerated.",
            ])
        }
        order.status = FHIRPrimitive(start.day < SampleClock.days(year: 2025, month: 6, day: 1) ? "completed" : "active")
        order.intent = "order"
        order.medication = .reference(medicationReference)
        order.subject = patientReference
        order.authoredOn = FHIRPrimitive(start.adding(days: -rng.int(1...7)).adding(minutes: 75).dateTime)
        if rng.chance(40) { order.requester = Reference(display: FHIRPrimitive("Dr. \(rng.pick(SampleCatalog.familyNames))")) }
        order.reasonReference = [Build.reference("Condition/\(conditionID)")]
        order.courseOfTherapyType = Build.concept(
            [Build.coding("http://terminology.hl7.org/CodeSystem/medicationrequest-course-of-therapy", regimen.course)],
            text: "\(indication.id) \(regimen.name)")
        if rng.chance(20) {
            order.note = [Annotation(text: "Premedication: paracetamol 1 g & cetirizine 10 mg; keep the rate < label maximum.")]
        }
        order.dosageInstruction = [dosage(until: end, grams: grams)]
        return order
    }

    private mutating func dosage(until end: SampleClock, grams: ScaledDecimal) -> Dosage {
        var repeating = Timing.Repeat()
        if regimen.intervalDays > 0 && regimen.days == 1 {
            repeating.count = FHIRPrimitive(Int32(cycles))
            repeating.frequency = 1
            repeating.period = FHIRPrimitive(ScaledDecimal(regimen.intervalDays).fhir)
        } else {
            repeating.bounds = .period(Period(start: FHIRPrimitive(checked { try FHIRDateTime(start.dateText) }),
                                              end: FHIRPrimitive(checked { try FHIRDateTime(end.dateText) })))
            repeating.count = FHIRPrimitive(Int32(regimen.days))
            repeating.frequency = 1
            repeating.period = FHIRPrimitive(spelled(ScaledDecimal(1)).fhir)
        }
        repeating.periodUnit = "d"
        let ordered = Dosage.DoseAndRate(
            type: Build.concept("http://terminology.hl7.org/CodeSystem/dose-rate-type", "ordered"),
            dose: .quantity(Build.quantity(spelled(gramsPerKg), "g/kg")),
            rate: .quantity(rateQuantity(initialRate, asVolume: rng.chance(50))))
        let calculated = Dosage.DoseAndRate(
            type: Build.concept("http://terminology.hl7.org/CodeSystem/dose-rate-type", "calculated"),
            dose: .quantity(Build.quantity(spelled(grams), "g")))
        let days = regimen.days == 1 ? "once" : "daily for \(regimen.days) consecutive days"
        let every = regimen.intervalDays > 0 ? ", every \(regimen.intervalDays / 7) weeks" : ""
        return Dosage(
            sequence: 1,
            text: FHIRPrimitive("\(gramsPerKg.trimmed.text) g/kg \(days)\(every); start \(initialRate.trimmed.text)"
                + " mg/kg/min, at most \(maximumRate.trimmed.text) mg/kg/min"),
            timing: Timing(repeat: repeating),
            route: Self.intravenous,
            doseAndRate: [ordered, calculated],
            maxDosePerPeriod: Ratio(numerator: Build.quantity(spelled(gramsPerKg), "g/kg"),
                                    denominator: Build.quantity(ScaledDecimal(1), "d")))
    }
}
