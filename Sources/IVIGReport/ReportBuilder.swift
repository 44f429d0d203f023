import ExactArithmetic
public import FHIRCore
public import FHIRValidation
import Foundation
import IVIGProducts
import UCUM

/// Builds each patient's ``PatientReport`` from their FHIR resources: the courses (one per IVIG
/// order), infusions, reactions, and the measures of response with the response each shows, by
/// the rules of `../shared/domain/ivig-dosing.md` section 6.
public struct ReportBuilder: Sendable {
    /// The dosing rules: indication codes and measure scales; the product table.
    public let rules: DosingRules

    public init(rules: DosingRules) { self.rules = rules }

    /// A fever is a temperature of 38.0 °C or more: the usual clinical threshold. The domain file
    /// names no number (section 6 says only "fever persists"), so this is an assumption, stated
    /// in the report.
    public static let feverCelsius = 38.0
    /// Kawasaki disease: a second dose if fever persists or recurs 36 h or more after the
    /// infusion ends (eTG; ivig-dosing.md sections 1 and 6).
    public static let kawasakiMarkHours = 36.0

    /// The measures of response the report follows (ivig-dosing.md 4b and 6): code, name, unit,
    /// and whether a higher value is better.
    struct MeasureKind {
        let system: String
        let code: String
        let name: String
        let higherIsBetter: Bool
    }

    static let assessment = "https://ivig-fhir.example.org/CodeSystem/ivig-assessment"
    static let loinc = "http://loinc.org"
    static let measureKinds: [MeasureKind] = [
        MeasureKind(system: loinc, code: "83174-3", name: "Grip strength, right hand", higherIsBetter: true),
        MeasureKind(
            system: assessment, code: "grip-strength-right", name: "Grip strength, right hand", higherIsBetter: true),
        MeasureKind(
            system: assessment, code: "grip-strength-left", name: "Grip strength, left hand", higherIsBetter: true),
        MeasureKind(system: assessment, code: "mrc-sum-score", name: "MRC sum score", higherIsBetter: true),
        MeasureKind(system: assessment, code: "incat", name: "INCAT disability score", higherIsBetter: false),
        MeasureKind(
            system: assessment, code: "adjusted-incat", name: "Adjusted INCAT disability score", higherIsBetter: false),
        MeasureKind(system: assessment, code: "i-rods", name: "I-RODS", higherIsBetter: true),
        MeasureKind(system: loinc, code: "2465-3", name: "IgG trough", higherIsBetter: true),
        MeasureKind(system: loinc, code: "777-3", name: "Platelets", higherIsBetter: true),
        MeasureKind(system: loinc, code: "8310-5", name: "Body temperature", higherIsBetter: false),
    ]

    /// The reports of every patient the resources are about, in order of patient id.
    public func reports(_ resources: [AnyResource]) -> [PatientReport] {
        var byPatient: [String: [AnyResource]] = [:]
        var medications: [String: Medication] = [:]
        for resource in Self.flattened(resources) {
            if case .medication(let medication) = resource, let id = medication.id?.value {
                medications["Medication/" + id] = medication
            }
            if let patient = Self.patientID(of: resource) { byPatient[patient, default: []].append(resource) }
        }
        return byPatient.keys.sorted().map { report(patient: $0, resources: byPatient[$0]!, medications: medications) }
    }

    /// The patient a resource is about: `Patient.id`, the id its `subject` reference names, or
    /// the value of the identifier a logical `subject` reference carries (an MRN).
    public static func patientID(of resource: AnyResource) -> String? {
        let subject: Reference?
        switch resource {
        case .patient(let patient): return patient.id?.value
        case .medicationRequest(let r): subject = r.subject
        case .medicationAdministration(let r): subject = r.subject
        case .observation(let r): subject = r.subject
        case .adverseEvent(let r): subject = r.subject
        case .condition(let r): subject = r.subject
        default: return nil
        }
        if let reference = subject?.reference?.value, let range = reference.range(of: "Patient/") {
            return String(reference[range.upperBound...].prefix { $0 != "/" })
        }
        return subject?.identifier?.value?.value
    }

    /// The resources and every resource inside a Bundle among them.
    static func flattened(_ resources: [AnyResource]) -> [AnyResource] {
        resources.flatMap { resource -> [AnyResource] in
            if case .bundle(let bundle) = resource { return flattened(bundle.entry.compactMap(\.resource)) }
            return [resource]
        }
    }

    // MARK: One patient

    private func report(patient: String, resources: [AnyResource], medications: [String: Medication]) -> PatientReport {
        var report = PatientReport(patientID: patient)
        var orders: [MedicationRequest] = [], administrations: [MedicationAdministration] = []
        var observations: [Observation] = [], events: [AdverseEvent] = [], conditions: [String: Condition] = [:]
        for resource in resources {
            switch resource {
            case .patient(let p):
                report.name = p.name.first.map { name in
                    (name.given.compactMap(\.value) + [name.family?.value].compactMap { $0 }).joined(separator: " ")
                }
            case .medicationRequest(let r): orders.append(r)
            case .medicationAdministration(let r): administrations.append(r)
            case .observation(let r): observations.append(r)
            case .adverseEvent(let r): events.append(r)
            case .condition(let r): if let id = r.id?.value { conditions["Condition/" + id] = r }
            default: break
            }
        }
        administrations.sort { (Self.time($0.effectiveStart) ?? 0) < (Self.time($1.effectiveStart) ?? 0) }
        report.infusions = administrations.map(infusion)
        let weights = observations.filter { observation in
            Self.codes(of: observation.code).contains { coding in
                rules.bodyWeightCodes.contains { $0.matches(system: coding.0, code: coding.1) }
            }
        }
        var indications: Set<String> = []
        for order in orders.sorted(by: {
            (Self.time($0.authoredOn?.value?.text) ?? 0) < (Self.time($1.authoredOn?.value?.text) ?? 0)
        }) {
            let course = self.course(
                order, infusions: report.infusions, weights: weights, conditions: conditions, medications: medications)
            if let indication = course.indication { indications.insert(indication) }
            report.courses.append(course)
        }
        let labels = Dictionary(report.courses.map { ($0.key, $0.orderID) }, uniquingKeysWith: { first, _ in first })
        for index in report.infusions.indices {
            if let key = report.infusions[index].orderID { report.infusions[index].orderLabel = labels[key] ?? key }
        }
        report.reactions = events.map { reaction($0, infusions: report.infusions) }
        let firstStart = report.infusions.compactMap(\.startTime).min()
        let firstCourseEnd = report.courses.first.flatMap { course in
            report.infusions.filter { $0.orderID == course.key }.compactMap { $0.endTime ?? $0.startTime }.max()
        }
        report.measures = measures(observations, firstStart: firstStart, firstCourseEnd: firstCourseEnd)
        if indications.contains("KD") {
            report.fever = feverChecks(report.infusions, temperatures: observations)
        }
        return report
    }

    private func course(
        _ order: MedicationRequest, infusions: [PatientReport.Infusion], weights: [Observation],
        conditions: [String: Condition], medications: [String: Medication]
    ) -> PatientReport.Course {
        let id = order.id?.value ?? "?"
        let own = infusions.filter { $0.orderID == id }
        var codings = order.reasonCode.flatMap(\.coding)
        for reference in order.reasonReference {
            if let text = reference.reference?.value, let condition = conditions[text] {
                codings += condition.code?.coding ?? []
            }
        }
        let indication = codings.lazy.compactMap { coding in
            self.rules.indications.first {
                $0.codes.contains { $0.matches(system: coding.system?.value, code: coding.code?.value) }
            }
        }.first
        let dosage = order.dosageInstruction.first
        var perKg: String?, perDay: String?, dailyGrams: ExactRational?
        for item in dosage?.doseAndRate ?? [] {
            guard case .quantity(let quantity)? = item.dose, let text = Self.text(quantity) else { continue }
            let code = quantity.code?.value ?? ""
            if code.contains("/kg") {
                perKg = perKg ?? text
            } else if let grams = Self.grams(quantity), perDay == nil {
                (perDay, dailyGrams) = (text, grams)
            }
        }
        // The dosing weight: the latest before the order; else the latest before its first infusion.
        func latestWeight(before limit: Double) -> (text: String, kg: ExactRational?)? {
            weights.compactMap { observation -> (Double, String, ExactRational?)? in
                guard let time = Self.time(Self.effective(observation)), time <= limit,
                    case .quantity(let quantity)? = observation.value, let text = Self.text(quantity)
                else { return nil }
                return (time, text, Self.converted(quantity, to: "kg"))
            }
            .max { $0.0 < $1.0 }.map { ($0.1, $0.2) }
        }
        let authored = Self.time(order.authoredOn?.value?.text) ?? own.compactMap(\.startTime).min() ?? .infinity
        let weight =
            latestWeight(before: authored) ?? latestWeight(before: own.compactMap(\.startTime).min() ?? authored)
        if perKg == nil, let daily = dailyGrams, let kg = weight?.kg, !kg.isZero {
            perKg = Self.number(daily.dividing(by: kg)) + " g/kg (\(perDay ?? "") for \(Self.number(kg)) kg)"
        }
        var total = ExactRational.zero
        for administration in own { if let grams = administration.grams { total = total + grams } }
        let starts = own.compactMap(\.startTime)
        return PatientReport.Course(
            orderID: order.identifier.first?.value?.value ?? id, key: id, indication: indication?.id,
            product: product(of: order, medications: medications),
            firstInfusion: own.first?.start, lastInfusion: own.last?.start, dosePerKg: perKg, dosePerDay: perDay,
            dosingWeight: weight?.text, totalGrams: Self.number(total) + " g",
            highestRate: own.compactMap(\.highestRate).first, infusionCount: own.count,
            span: starts.isEmpty ? nil : starts.min()!...(own.compactMap { $0.endTime ?? $0.startTime }.max()!))
    }

    private func product(of order: MedicationRequest, medications: [String: Medication]) -> String? {
        var medication: Medication?
        var codings: [Coding] = []
        switch order.medication {
        case .codeableConcept(let concept)?: codings = concept.coding
        case .reference(let reference)?:
            let text = reference.reference?.value ?? ""
            if text.hasPrefix("#") {
                for case .medication(let contained) in order.contained where "#" + (contained.id?.value ?? "") == text {
                    medication = contained
                }
            } else {
                medication = medications[text]
            }
            codings = medication?.code?.coding ?? []
            if medication == nil { return reference.display?.value }
        case nil: return nil
        }
        for coding in codings {
            if let system = coding.system?.value, let code = coding.code?.value,
                let found = rules.products.product(system: system, code: code)
            {
                return found.display
            }
        }
        for text in [medication?.code?.text?.value] + codings.map({ $0.display?.value }) {
            if let text, let found = rules.products.products(namedIn: text).first { return found.display }
        }
        return medication?.code?.text?.value
    }

    private func infusion(_ administration: MedicationAdministration) -> PatientReport.Infusion {
        let (start, end): (String?, String?)
        switch administration.effective {
        case .period(let period)?: (start, end) = (period.start?.value?.text, period.end?.value?.text)
        case .dateTime(let value)?: (start, end) = (value.value?.text, nil)
        case nil: (start, end) = (nil, nil)
        }
        var steps: [(time: Double, rate: String)] = []
        for step in administration.dosage?.extension ?? [] where step.url?.hasSuffix("rate-step") == true {
            var at: Double?, rate: String?
            for part in step.extension {
                switch part.value {
                case .dateTime(let value)?: at = Self.time(value.value?.text)
                case .quantity(let quantity)?: rate = Self.text(quantity)
                default: break
                }
            }
            if let at, let rate { steps.append((at, rate)) }
        }
        var highest: String?
        if case .quantity(let quantity)? = administration.dosage?.rate { highest = Self.text(quantity) }
        if case .ratio(let ratio)? = administration.dosage?.rate, let n = ratio.numerator.flatMap(Self.text),
            let d = ratio.denominator.flatMap(Self.text)
        {
            highest = "\(n) per \(d)"
        }
        return PatientReport.Infusion(
            id: administration.id?.value ?? "?",
            orderID: Self.id(administration.request?.reference?.value, "MedicationRequest"),
            orderLabel: nil,
            start: start, end: end, status: administration.status?.value,
            dose: administration.dosage?.dose.flatMap(Self.text), highestRate: highest,
            startTime: Self.time(start), endTime: Self.time(end), steps: steps.sorted { $0.time < $1.time },
            grams: administration.dosage?.dose.flatMap(Self.grams))
    }

    private func reaction(_ event: AdverseEvent, infusions: [PatientReport.Infusion]) -> PatientReport.Reaction {
        let infusionID = event.suspectEntity.lazy.compactMap {
            Self.id($0.instance?.reference?.value, "MedicationAdministration")
        }.first
        let date = event.date?.value?.text ?? event.detected?.value?.text
        let time = Self.time(date)
        var rate: String?
        if let infusionID, let time, let infusion = infusions.first(where: { $0.id == infusionID }) {
            rate = infusion.steps.last { $0.time <= time }?.rate ?? infusion.highestRate
        }
        return PatientReport.Reaction(
            id: event.id?.value ?? "?",
            event: event.event?.text?.value ?? event.event?.coding.first?.display?.value ?? event.event?.coding.first?
                .code?.value ?? "reaction",
            date: date, seriousness: event.seriousness?.coding.first?.code?.value, infusionID: infusionID,
            rateAtOnset: rate, time: time)
    }

    // MARK: Measures of response

    private func measures(_ observations: [Observation], firstStart: Double?, firstCourseEnd: Double?) -> [PatientReport
        .Measure]
    {
        var result: [PatientReport.Measure] = []
        var seen: [String: Int] = [:]
        for observation in observations {
            guard
                let kind = Self.measureKinds.first(where: { kind in
                    Self.codes(of: observation.code).contains { $0.0 == kind.system && $0.1 == kind.code }
                }), let dateText = Self.effective(observation), let time = Self.time(dateText)
            else { continue }
            let (value, text, unit): (Double, String, String)
            switch observation.value {
            case .quantity(let quantity)?:
                guard let number = quantity.value?.value?.text, let parsed = Double(number) else { continue }
                let code = quantity.code?.value ?? quantity.unit?.value ?? ""
                (value, text, unit) = (parsed, Self.text(quantity) ?? number, code == "Cel" ? "°C" : code)
            case .integer(let integer)?:
                guard let number = integer.value else { continue }
                (value, text, unit) = (Double(number), String(number), "points")
            default: continue
            }
            let index =
                seen[kind.name]
                ?? {
                    result.append(PatientReport.Measure(name: kind.name, unit: unit, points: [], response: ""))
                    seen[kind.name] = result.count - 1
                    return result.count - 1
                }()
            result[index].points.append(PatientReport.Point(date: dateText, value: value, text: text, time: time))
        }
        for index in result.indices {
            result[index].points.sort { $0.time < $1.time }
            let kind = Self.measureKinds.first { $0.name == result[index].name }!
            assess(&result[index], kind: kind, firstStart: firstStart, firstCourseEnd: firstCourseEnd)
        }
        return result
    }

    /// Baseline: the last reading at or before the first infusion. Follow-up: the last reading
    /// after the first course ended. The response: for INCAT, the ICE and ProCID rule (better by
    /// 1 point or more: responder); for the others, the direction of the change.
    private func assess(
        _ measure: inout PatientReport.Measure, kind: MeasureKind, firstStart: Double?, firstCourseEnd: Double?
    ) {
        guard let firstStart else {
            measure.response = "not yet assessable: no infusion in the input"
            return
        }
        measure.baseline = measure.points.last { $0.time <= firstStart }
        measure.followUp = firstCourseEnd.flatMap { end in measure.points.last { $0.time > end } }
        guard let baseline = measure.baseline else {
            measure.response = "not yet assessable: no baseline before the first infusion"
            return
        }
        guard let followUp = measure.followUp else {
            measure.response = "not yet assessable: no follow-up after the first course"
            return
        }
        let change = followUp.value - baseline.value
        measure.change = (change > 0 ? "+" : "") + Self.number(change) + " " + measure.unit
        let better = kind.higherIsBetter ? change : -change
        let weeks = Self.number((followUp.time - firstCourseEnd!) / 7, decimals: 1)
        if kind.code == "incat" || kind.code == "adjusted-incat" {
            let which = kind.code == "incat" ? " (applied to the INCAT score; the adjusted score is not recorded)" : ""
            measure.response =
                better >= 1
                ? "responder: \(kind.code == "incat" ? "INCAT" : "adjusted INCAT") better by \(Self.number(better)) point(s) \(weeks) weeks after the course (ICE and ProCID: better by 1 point or more)\(which)"
                : "not a responder yet: not 1 point better \(weeks) weeks after the course (ICE: allow 2 courses 3 weeks apart before judging)\(which)"
            return
        }
        let direction = better > 0 ? "improved" : (better < 0 ? "worse" : "unchanged")
        measure.response =
            "\(direction) \(weeks) weeks after the course; the domain file gives no responder threshold for \(kind.name.lowercased())"
    }

    // MARK: Kawasaki disease

    private func feverChecks(_ infusions: [PatientReport.Infusion], temperatures: [Observation]) -> [PatientReport
        .FeverCheck]
    {
        let readings = temperatures.compactMap { observation -> (time: Double, celsius: Double, text: String)? in
            guard Self.codes(of: observation.code).contains(where: { $0.0 == Self.loinc && $0.1 == "8310-5" }),
                case .quantity(let quantity)? = observation.value, quantity.code?.value == "Cel",
                let number = quantity.value?.value?.text, let celsius = Double(number),
                let date = Self.effective(observation), let time = Self.time(date)
            else { return nil }
            return (time, celsius, date)
        }
        return infusions.compactMap { infusion in
            guard let end = infusion.endTime, let endText = infusion.end else { return nil }
            let mark = end + Self.kawasakiMarkHours / 24
            let next = infusions.compactMap(\.startTime).filter { $0 > end }.min() ?? .infinity
            let after = readings.filter { $0.time > end && $0.time < next }.sorted { $0.time < $1.time }
            let verdict: String
            if let late = after.first(where: { $0.time >= mark && $0.celsius >= Self.feverCelsius }) {
                verdict =
                    "fever persists \(Self.number((late.time - end) * 24, decimals: 0)) h after the infusion ended (\(Self.number(late.celsius)) °C at \(late.text)): at or past the 36-hour mark, a second 2 g/kg dose is indicated (eTG)"
            } else if let last = after.last, last.celsius < Self.feverCelsius {
                verdict =
                    "afebrile (\(Self.number(last.celsius)) °C at \(last.text), \(Self.number((last.time - end) * 24, decimals: 0)) h after the end)"
            } else if let last = after.last {
                verdict =
                    "still febrile \(Self.number((last.time - end) * 24, decimals: 0)) h after the end, before the 36-hour mark: not yet assessable"
            } else {
                verdict = "not yet assessable: no temperature after the infusion ended"
            }
            return PatientReport.FeverCheck(
                infusionID: infusion.id, infusionEnd: endText, mark: Self.dateText(mark, like: endText),
                verdict: verdict + " (fever: ≥ \(Self.number(Self.feverCelsius)) °C, assumed)", endTime: end)
        }
    }

    // MARK: Small readers

    static func codes(of concept: CodeableConcept?) -> [(String, String)] {
        (concept?.coding ?? []).compactMap { coding in
            guard let system = coding.system?.value, let code = coding.code?.value else { return nil }
            return (system, code)
        }
    }

    static func effective(_ observation: Observation) -> String? {
        switch observation.effective {
        case .dateTime(let value)?: return value.value?.text
        case .instant(let value)?: return value.value?.text
        case .period(let period)?: return period.start?.value?.text
        default: return nil
        }
    }

    /// Days since 1970-01-01 (UTC when the text has a zone; the middle of the day for a date).
    static func time(_ text: String?) -> Double? {
        guard let text, let moment = FHIRMoment(text) else { return nil }
        if let instant = moment.instant { return Double(instant) / 86_400 }
        return Double(moment.firstDay) + 0.5
    }

    /// A time as a date and UTC time, for the 36-hour mark.
    static func dateText(_ time: Double, like: String) -> String {
        let seconds = Int((time * 86_400).rounded())
        let day = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let second = seconds - day * 86_400
        var (z, era) = (day + 719_468, 0)
        era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        z = yoe + era * 400 + (m <= 2 ? 1 : 0)
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(z)-\(two(m))-\(two(d))T\(two(second / 3600)):\(two(second % 3600 / 60))Z"
    }

    /// The id a reference names: `Type/id` (or an absolute URL ending so), or a `urn:uuid:`
    /// (in NDJSON a UUID id is its urn:uuid).
    static func id(_ reference: String?, _ type: String) -> String? {
        guard let reference else { return nil }
        if reference.hasPrefix("urn:uuid:") { return String(reference.dropFirst(9)) }
        guard let range = reference.range(of: type + "/") else { return nil }
        return String(reference[range.upperBound...].prefix { $0 != "/" })
    }

    static func text(_ quantity: Quantity) -> String? {
        guard let value = quantity.value?.value?.text else { return nil }
        let unit = quantity.unit?.value ?? quantity.code?.value ?? ""
        return unit.isEmpty ? value : "\(value) \(unit)"
    }

    static func grams(_ quantity: Quantity) -> ExactRational? { converted(quantity, to: "g") }

    static func converted(_ quantity: Quantity, to unit: String) -> ExactRational? {
        guard let value = quantity.value?.value?.text, let code = quantity.code?.value,
            let converted = try? UCUM.convert(value, from: code, to: unit)
        else { return nil }
        return ExactRational(converted.value)
    }

    static func number(_ value: ExactRational) -> String {
        value.decimal(significantDigits: 12).rounded(toExponent: -2).description
            .replacingTrailingZeros()
    }

    static func number(_ value: Double, decimals: Int = 2) -> String {
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let rounded = (value * scale).rounded() / scale
        let text = rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
        return text
    }
}

extension MedicationAdministration {
    var effectiveStart: String? {
        switch effective {
        case .period(let period)?: return period.start?.value?.text
        case .dateTime(let value)?: return value.value?.text
        case nil: return nil
        }
    }
}

extension String {
    /// `27.20` → `27.2`, `30.00` → `30`.
    fileprivate func replacingTrailingZeros() -> String {
        guard contains(".") else { return self }
        var text = self
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }
}
