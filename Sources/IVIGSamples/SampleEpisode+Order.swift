import ExactArithmetic
import FHIRCore
import IVIGProducts

extension SampleEpisode {
    static let atcDisplay = "Immunoglobulins, normal human, for intravascular adm."
    static let intravenous = Build.concept(Build.snomed, "47625008", "Intravenous route")

    /// The product as hospitals name it: usually its ivig-product code and ATC class; now and
    /// then only its NDC (when the product table lists one), or only the ATC class with the
    /// brand in the text. Always its IgG strength per mL.
    mutating func medication(withBatch: Bool, id: String? = nil) -> Medication {
        var medication = Medication(id: FHIRPrimitive(id ?? medicationID))
        let atc = Build.coding(Build.atc, "J06BA02", Self.atcDisplay)
        let ndc = product.codes.first { $0.system == Build.ndc }
        switch rng.int(0...9) {
        case 0 where ndc != nil:
            medication.code = Build.concept([Build.coding(Build.ndc, ndc!.code, product.display), atc],
                                            text: product.display)
        case 1, 2:
            medication.code = Build.concept([atc], text: "\(product.display) solution for infusion")
        default:
            medication.code = Build.concept(
                [Build.coding(products.system, product.code, product.display), atc],
                text: "\(product.display) (\(concentration) mg/mL)")
        }
        let strength = Ratio(numerator: Build.quantity(ScaledDecimal(concentration), "mg"),
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

    /// How many courses the episode holds: maintenance repeats, induction happens once.
    var cycles: Int { regimen.intervalDays > 0 ? 1 + index % 3 : 1 }

    /// Whether each course has an order of its own (the other form of maintenance: one order
    /// whose Timing repeats).
    var hasOrderPerCourse: Bool { orderPerCourse && cycles > 1 }

    /// The label's rates in mg/kg/min, one decimal, rounded down so samples stay within the label.
    var initialRate: ScaledDecimal { Self.tenthsDown(rate.initial!) }
    var maximumRate: ScaledDecimal {
        let label = Self.tenthsDown(rate.maximum!)
        // Kawasaki disease: one slow infusion over 10-12 hours.
        return indication.isPaediatric ? ScaledDecimal(min(label.units, 33), scale: 1) : label
    }

    static func tenthsDown(_ value: ExactRational) -> ScaledDecimal {
        let rounded = value.decimal(significantDigits: 40).rounded(toExponent: -1, rounding: .towardZero)
        return ScaledDecimal(rounded.description).rescaled(to: 1)
    }

    /// A rate in mg/kg/min as pumps are set: in mg/kg/min or in mL/kg/h at the product's
    /// concentration (mL/kg/h = mg/kg/min × 60 / (mg/mL)), exactly.
    func rateQuantity(_ milligramsPerKgPerMinute: ScaledDecimal, asVolume: Bool) -> Quantity {
        guard asVolume else { return Build.quantity(milligramsPerKgPerMinute.trimmed, "mg/kg/min") }
        let hundredths = milligramsPerKgPerMinute.rescaled(to: 1).units * 600 / concentration
        return Build.quantity(ScaledDecimal(hundredths, scale: 2), "mL/kg/h")
    }

    /// The orders: one for the episode, or one per course for maintenance written course by course.
    mutating func orders() -> [MedicationRequest] {
        guard hasOrderPerCourse else { return [order(id: orderID, course: nil)] }
        return (0..<cycles).map { course in order(id: course == 0 ? orderID : "\(orderID)-\(course + 1)", course: course) }
    }

    /// The id of the order an infusion of a course follows.
    func orderID(ofCourse course: Int) -> String { hasOrderPerCourse && course > 0 ? "\(orderID)-\(course + 1)" : orderID }

    /// An order: for the whole episode (`course` nil: a repeating Timing for maintenance), or
    /// for one course of it.
    private mutating func order(id: String, course: Int?) -> MedicationRequest {
        var order = MedicationRequest(id: FHIRPrimitive(id))
        if fault == .overdose && (course ?? 0) == 0 { order.meta = SampleFault.overdose.tagging(order.meta) }
        if containsMedication { order.contained = [.medication(medication(withBatch: false, id: "med"))] }
        let courseStart = start.adding(days: (course ?? 0) * regimen.intervalDays)
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
        order.status = FHIRPrimitive(courseStart.day < SampleClock.days(year: 2025, month: 6, day: 1) ? "completed" : "active")
        order.intent = "order"
        order.medication = .reference(medicationReference)
        order.subject = patientReference
        order.authoredOn = FHIRPrimitive(courseStart.adding(days: -orderedDaysBefore).adding(minutes: 75).dateTime)
        if rng.chance(40) { order.requester = Reference(display: FHIRPrimitive("Dr. \(rng.pick(SampleCatalog.familyNames))")) }
        order.reasonReference = [Build.reference("Condition/\(conditionID)")]
        order.courseOfTherapyType = Build.concept(
            [Build.coding("http://terminology.hl7.org/CodeSystem/medicationrequest-course-of-therapy", regimen.course)],
            text: "\(indication.id) \(regimen.name)")
        if rng.chance(20) {
            order.note = [Annotation(text: "Premedication: paracetamol 1 g & cetirizine 10 mg; keep the rate < label maximum.")]
        }
        order.dosageInstruction = [dosage(from: courseStart, grams: grams, wholeEpisode: course == nil)]
        return order
    }

    /// The dosage: a course of `days` daily infusions from `first`; for a maintenance order of
    /// the whole episode, a Timing that repeats it every interval (`frequency` infusion days per
    /// `period`, `count` infusions in all), as FHIR codes "1 g/kg every 3 weeks".
    private mutating func dosage(from first: SampleClock, grams: ScaledDecimal, wholeEpisode: Bool) -> Dosage {
        var repeating = Timing.Repeat()
        let repeats = wholeEpisode && regimen.intervalDays > 0
        if repeats {
            repeating.count = FHIRPrimitive(Int32(cycles * regimen.days))
            repeating.frequency = FHIRPrimitive(Int32(regimen.days))
            if regimen.intervalDays % 7 == 0 && rng.chance(50) {
                repeating.period = FHIRPrimitive(ScaledDecimal(regimen.intervalDays / 7).fhir)
                repeating.periodUnit = "wk"
            } else {
                repeating.period = FHIRPrimitive(ScaledDecimal(regimen.intervalDays).fhir)
                repeating.periodUnit = "d"
            }
            if rng.chance(50) {
                repeating.bounds = .period(Period(start: FHIRPrimitive(checked { try FHIRDateTime(first.dateText) })))
            }
        } else {
            let end = first.adding(days: regimen.days - 1)
            repeating.bounds = .period(Period(start: FHIRPrimitive(checked { try FHIRDateTime(first.dateText) }),
                                              end: FHIRPrimitive(checked { try FHIRDateTime(end.dateText) })))
            repeating.count = FHIRPrimitive(Int32(regimen.days))
            repeating.frequency = 1
            repeating.period = FHIRPrimitive(spelled(ScaledDecimal(1)).fhir)
            repeating.periodUnit = "d"
        }
        let ordered = Dosage.DoseAndRate(
            type: Build.concept("http://terminology.hl7.org/CodeSystem/dose-rate-type", "ordered"),
            dose: .quantity(Build.quantity(spelled(gramsPerKg), "g/kg")),
            rate: .quantity(rateQuantity(initialRate, asVolume: rng.chance(50))))
        let calculated = Dosage.DoseAndRate(
            type: Build.concept("http://terminology.hl7.org/CodeSystem/dose-rate-type", "calculated"),
            dose: .quantity(Build.quantity(spelled(grams), "g")))
        let days = regimen.days == 1 ? "once" : "daily for \(regimen.days) consecutive days"
        let every = repeats ? ", every \(regimen.intervalDays / 7) weeks" : ""
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
