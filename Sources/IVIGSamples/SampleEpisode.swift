import ExactArithmetic
import FHIRCore
import IVIGProducts

/// One patient's IVIG course and the resources it produces, in the order a hospital feed sends
/// them: the patient, the diagnosis, the body weight, the product, the order, each infusion
/// (with any reaction), and the measures of response before and after.
///
/// Every draw comes from the episode's own generator, so one episode's content never depends on
/// another's.
struct SampleEpisode {
    let index: Int
    var rng: SplitMix64
    let indication: SampleCatalog.Indication
    let regimen: SampleCatalog.Regimen
    let products: ProductTable
    let product: ProductTable.Product
    let rate: ProductTable.Rates
    /// The product's IgG concentration in mg/mL.
    let concentration: Int
    let zone: String
    /// The first infusion day, 08:00-10:00 local time.
    let start: SampleClock
    /// How many days before the first infusion the order was written (weights come before it).
    let orderedDaysBefore: Int
    /// Body weight in kg.
    let weightKg: ScaledDecimal
    let containsMedication: Bool
    /// A maintenance regimen written as one order per course rather than one repeating order.
    let orderPerCourse: Bool
    /// The clinical error put into this episode on purpose (`sample --faults`), if any.
    let fault: SampleFault?

    var patientID: String { "ivig-pat-\(index)" }
    var conditionID: String { "ivig-dx-\(index)" }
    var weightID: String { "ivig-wt-\(index)" }
    var medicationID: String { "ivig-med-\(index)" }
    var orderID: String { "ivig-mr-\(index)" }
    var patientReference: Reference { Build.reference("Patient/\(patientID)") }

    init(index: Int, rng: SplitMix64, products: ProductTable, faults: SampleFaultRate) {
        var rng = rng
        // Faults are drawn from a generator of their own, so records without faults are the
        // same whatever the fault rate.
        var faultRNG = rng
        faultRNG = faultRNG.split()
        self.index = index
        self.products = products
        let indication = rng.pick(SampleCatalog.indications)
        self.indication = indication
        regimen = rng.pick(indication.regimens)
        // Only products whose label rates for the indication are known are ordered.
        let candidates = products.products.filter { product in
            product.rates(for: indication.id).map { $0.initial != nil && $0.maximum != nil } ?? false
        }
        product = rng.pick(candidates)
        rate = product.rates(for: indication.id)!
        concentration = Int(product.milligramsPerMillilitre.description)!
        zone = rng.pick(SampleCatalog.zones)
        let day = SampleClock.days(year: 2023, month: 1, day: 1) + rng.int(0...1094)
        start = SampleClock(day: day, minute: 8 * 60 + rng.int(0...8) * 15, zone: zone)
        let tenths = indication.isPaediatric ? rng.int(80...250) : rng.int(480...1150)
        weightKg = ScaledDecimal(tenths, scale: 1)
        containsMedication = rng.chance(50)
        orderedDaysBefore = rng.int(1...7)
        orderPerCourse = rng.chance(50)
        fault = faultRNG.int(0...9999) < faults.perTenThousand ? faultRNG.pick(SampleFault.allCases) : nil
        self.rng = rng
    }

    /// The daily dose in g/kg and in g (exact: weight × g/kg); three times the regimen's for
    /// the overdose fault.
    var gramsPerKg: ScaledDecimal {
        ScaledDecimal(regimen.gramsPerKgPerDay) * ScaledDecimal(fault == .overdose ? 3 : 1)
    }
    var dailyGrams: ScaledDecimal { (weightKg * gramsPerKg).trimmed }

    /// A decimal written with its natural digits, or now and then with a trailing zero more,
    /// as systems that format to fixed decimals do (`72.5` / `72.50`).
    mutating func spelled(_ value: ScaledDecimal) -> ScaledDecimal {
        let natural = value.trimmed
        return rng.chance(30) ? natural.rescaled(to: natural.scale + 1) : natural
    }

    mutating func resources() -> [AnyResource] {
        var result: [AnyResource] = [.patient(patient()), .condition(condition()), .observation(bodyWeight())]
        if !containsMedication { result.append(.medication(medication(withBatch: false))) }
        let orders = self.orders()
        result.append(.medicationRequest(orders[0]))
        result += responseObservations(baseline: true)
        // A later course's order is written shortly before that course, after the earlier infusions.
        var infusions = infusions(orderIDs: orders.map { $0.id!.value! })
        for order in orders.dropFirst() {
            let courseStart = infusions.firstIndex { resource in
                if case .medicationAdministration(let administration) = resource {
                    return administration.request?.reference?.value == "MedicationRequest/\(order.id!.value!)"
                }
                return false
            }
            infusions.insert(.medicationRequest(order), at: courseStart ?? infusions.endIndex)
        }
        result += infusions
        result += responseObservations(baseline: false)
        return result.map(SampleNarrative.narrated)
    }

    // MARK: Patient, diagnosis, weight

    mutating func patient() -> Patient {
        var patient = Patient(id: FHIRPrimitive(patientID))
        if rng.chance(30) {
            patient.meta = Build.meta(
                lastUpdated: start.adding(days: -rng.int(1...30)), source: "urn:ivig-fhir:samples")
        }
        patient.identifier = [
            Build.identifier("urn:oid:2.16.840.1.113883.3.9999.1", "MRN-\(pad(index % 10_000_000, 7))")
        ]
        if rng.chance(70) { patient.active = true }
        let female = rng.chance(50)
        let family = rng.pick(SampleCatalog.familyNames)
        var name = HumanName(family: FHIRPrimitive(family), given: [FHIRPrimitive(rng.pick(SampleCatalog.givenNames))])
        if rng.chance(35) {
            // A middle initial, marked as an initial with the EN-qualifier extension.
            let initial = String(rng.pick(SampleCatalog.givenNames).prefix(1)) + "."
            let qualifier = Build.extensionValue(
                "http://hl7.org/fhir/StructureDefinition/iso21090-EN-qualifier",
                .code("IN"))
            name.given.append(FHIRPrimitive(initial, extension: [qualifier]))
        }
        patient.name = [name]
        if rng.chance(40) {
            patient.telecom = [
                ContactPoint(
                    system: "phone", value: FHIRPrimitive("+31 30 \(rng.int(200...899)) \(pad(rng.int(0...9999), 4))"),
                    use: rng.chance(50) ? "home" : "mobile")
            ]
        }
        patient.gender = FHIRPrimitive(female ? "female" : "male")
        let age = indication.isPaediatric ? rng.int(0...4) : rng.int(22...84)
        let born = start.adding(days: -(age * 365 + rng.int(30...360)))
        switch rng.int(0...9) {
        case 0: patient.birthDate = FHIRPrimitive(checked { try FHIRDate(String(born.dateText.prefix(4))) })
        case 1, 2: patient.birthDate = FHIRPrimitive(checked { try FHIRDate(born.monthText) })
        case 3:
            // The time of birth, as FHIR's patient-birthTime extension on the date.
            let time = born.adding(minutes: rng.int(0...1439))
            let birthTime = Build.extensionValue(
                "http://hl7.org/fhir/StructureDefinition/patient-birthTime",
                .dateTime(FHIRPrimitive(time.dateTime)))
            patient.birthDate = FHIRPrimitive(born.date, extension: [birthTime])
        default: patient.birthDate = FHIRPrimitive(born.date)
        }
        if rng.chance(50) {
            let city = rng.pick(SampleCatalog.cities)
            patient.address = [
                Address(
                    use: "home", line: [FHIRPrimitive("Laan \(rng.int(1...250))")],
                    city: FHIRPrimitive(city), postalCode: FHIRPrimitive("\(rng.int(1000...9999))"))
            ]
        }
        if rng.chance(25) {
            let born = patient.birthDate?.value?.text ?? "unknown"
            patient.text = Build.narrative([
                "<b>\(Build.xhtmlText(family.uppercased()))</b>, \(Build.xhtmlText(name.given[0].value ?? "")) "
                    + "(\(female ? "F" : "M"), born \(born)) — IVIG for \(indication.id)"
            ])
        }
        return patient
    }

    mutating func condition() -> Condition {
        var condition = Condition(id: FHIRPrimitive(conditionID))
        condition.clinicalStatus = Build.concept("http://terminology.hl7.org/CodeSystem/condition-clinical", "active")
        condition.verificationStatus = Build.concept(
            "http://terminology.hl7.org/CodeSystem/condition-ver-status", "confirmed")
        condition.category = [
            Build.concept(
                "http://terminology.hl7.org/CodeSystem/condition-category",
                "problem-list-item", "Problem List Item")
        ]
        var codings: [Coding] = []
        if let snomed = indication.snomed { codings.append(Build.coding(Build.snomed, snomed, indication.display)) }
        codings.append(Build.coding(Build.icd10, indication.icd10))
        condition.code = Build.concept(codings, text: indication.id)
        condition.subject = patientReference
        let onset = start.adding(days: -rng.int(indication.isPaediatric ? 2...9 : 30...900))
        switch rng.int(0...2) {
        case 0: condition.onset = .dateTime(FHIRPrimitive(checked { try FHIRDateTime(onset.monthText) }))
        case 1: condition.onset = .dateTime(FHIRPrimitive(checked { try FHIRDateTime(onset.dateText) }))
        default: break
        }
        condition.recordedDate = FHIRPrimitive(start.adding(days: -rng.int(0...2)).adding(minutes: -90).dateTime)
        return condition
    }

    mutating func bodyWeight() -> Observation {
        var observation = Observation(id: FHIRPrimitive(weightID))
        observation.status = "final"
        observation.category = [
            Build.concept(
                "http://terminology.hl7.org/CodeSystem/observation-category",
                "vital-signs", "Vital Signs")
        ]
        observation.code = Build.concept([Build.coding(Build.loinc, "29463-7", "Body weight")], text: "Body weight")
        observation.subject = patientReference
        // Weighed before the order is written (the order is dosed on it).
        let weighed = start.adding(days: -orderedDaysBefore - rng.int(0...2)).adding(minutes: 30)
        observation.effective = .dateTime(FHIRPrimitive(weighed.dateTime))
        if rng.chance(10) {
            // Some scales report grams; UCUM converts them exactly.
            observation.value = .quantity(Build.quantity((weightKg * ScaledDecimal(1000)).trimmed, "g"))
        } else {
            observation.value = .quantity(Build.quantity(spelled(weightKg), "kg"))
        }
        return observation
    }
}
