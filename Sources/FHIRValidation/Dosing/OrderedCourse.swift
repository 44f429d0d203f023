import ExactArithmetic
import FHIRCore

/// One IVIG course as an order's dosage instruction states it.
///
/// How a MedicationRequest is read (the README's "How an order is read" says the same):
/// - the dose is `doseAndRate[].doseQuantity`: per kg (`g/kg`, `mg/kg`, or per day `g/kg/d`)
///   and/or absolute (`g`, `mg`); an `ordered` one is preferred over a `calculated` one;
/// - `timing.repeat` gives administrations per day (`frequency` per `period` `periodUnit`,
///   once a day when absent); a period of 7 days or more (`every 3 wk`) makes it a maintenance
///   order whose courses are that far apart, each of `frequency` consecutive infusion days (one
///   when absent: `frequency 2, period 4, periodUnit wk` is a 2-day course every 4 weeks);
/// - the number of infusion days comes from `count`, else the days of `boundsPeriod`, else
///   `boundsDuration`; a dosage without `timing` is one infusion; a `timing.event` list (and no
///   `repeat`) names the infusion days one by one;
/// - the course starts at `boundsPeriod.start`; without one, at the order's first
///   administration in the context (the earliest MedicationAdministration whose `request` names
///   it, dated on or after `authoredOn`: orders are written days before the first infusion);
///   with none, at `authoredOn`. An infusion dated before `authoredOn` never anchors the course.
///
/// A class: read once per dosage instruction (``DosingMemo``) and shared, not copied, by the
/// order's checks and each of its administrations'.
final class OrderedCourse {
    /// Where the course's start comes from.
    enum StartSource: Equatable {
        /// `timing.repeat.boundsPeriod.start`.
        case boundsPeriod
        /// The order's first administration in the context (no boundsPeriod.start): its
        /// `authoredOn` text, if any, is kept for messages about infusions before it.
        case firstAdministration(authoredOn: String?)
        /// `authoredOn` (no boundsPeriod.start, no administration in the context).
        case authoredOn
    }

    /// A dose quantity of the order, with its path inside the resource.
    struct Dose {
        let measured: MeasuredValue
        /// `dosageInstruction[0].doseAndRate[1].doseQuantity`.
        let path: String
        /// `ordered`, `calculated`, or `nil`.
        let type: String?
    }

    /// A rate of the order, with its path inside the resource.
    struct Rate {
        let rate: Dosage.DoseAndRate.RateX
        let path: String
    }

    let dosageIndex: Int
    let dosagePath: String
    /// Dose per kg per administration (g/kg).
    private(set) var perKg: (grams: ExactRational, dose: Dose)?
    /// Absolute dose per administration (g).
    private(set) var absolute: (grams: ExactRational, dose: Dose)?
    /// Dose per kg per day (g/kg/d), when the order states it so.
    private var perKgPerDay: (grams: ExactRational, dose: Dose)?
    /// Dose quantities present but in units dosing cannot use (mL, tablets), as written.
    private(set) var unusableDoses: [Dose] = []
    /// Only a dose range was given.
    private(set) var hasDoseRange = false
    /// Administrations per infusion day.
    private(set) var perDay: ExactRational = .one
    /// Number of administrations in the course, when stated.
    private(set) var administrations: ExactRational?
    /// Infusion days, and the element that states them.
    private(set) var days: ExactRational?
    private(set) var daysPath: String?
    /// Days between courses, for a maintenance order (`period` ≥ 7 d).
    private(set) var intervalDays: ExactRational?
    private(set) var intervalPath: String?
    private(set) var start: FHIRMoment?
    private(set) var startText: String?
    /// The element of the order the start is reported at (`authoredOn` when it comes from an
    /// administration).
    private(set) var startPath: String?
    private(set) var startSource: StartSource?
    /// The last day of the course (a local calendar day number).
    private(set) var lastDay: Int?
    private(set) var rates: [Rate] = []

    /// Reads dosage instruction `index` of the order at `entry` of `context` (the context gives
    /// the order's administrations, which anchor a course whose start is not stated).
    init(order: MedicationRequest, index: Int, entry: Int, context: ValidationContext) {
        let dosage = order.dosageInstruction[index]
        dosageIndex = index
        dosagePath = "dosageInstruction[\(index)]"
        for (position, doseAndRate) in dosage.doseAndRate.enumerated() {
            let itemPath = "\(dosagePath).doseAndRate[\(position)]"
            let type = doseAndRate.type?.coding.first?.code?.value
            switch doseAndRate.dose {
            case .quantity(let quantity)?:
                let dosePath = itemPath + ".doseQuantity"
                if let measured = MeasuredValue(quantity) {
                    read(Dose(measured: measured, path: dosePath, type: type))
                } else {
                    let unit = quantity.code?.value ?? quantity.unit?.value ?? "no unit"
                    unusableDoses.append(
                        Dose(measured: MeasuredValue(value: .zero, unit: unit), path: dosePath, type: type))
                }
            case .range?:
                hasDoseRange = true
            case nil:
                break
            }
            if let rate = doseAndRate.rate {
                let suffix: String
                switch rate {
                case .quantity: suffix = "rateQuantity"
                case .ratio: suffix = "rateRatio"
                case .range: suffix = "rateRange"
                }
                rates.append(Rate(rate: rate, path: itemPath + "." + suffix))
            }
        }
        readTiming(
            dosage.timing, order: order,
            firstAdministration: { after in
                Self.firstAdministration(ofOrder: entry, notBefore: after, in: context)
            })
        // A dose per kg per day (`g/kg/d`) is that dose spread over the day's administrations.
        if perKg == nil, let daily = perKgPerDay {
            perKg = (daily.grams.dividing(by: perDay), daily.dose)
        }
    }

    /// Sorts one dose quantity by its unit: per kg, per kg per day, absolute, or unusable.
    private func read(_ dose: Dose) {
        let preferred = dose.type == "ordered"
        if let value = dose.measured.value(in: "g/kg") {
            if perKg == nil || preferred { perKg = (value, dose) }
        } else if let value = dose.measured.value(in: "g/kg/d") {
            if perKgPerDay == nil || preferred { perKgPerDay = (value, dose) }
        } else if let value = dose.measured.value(in: "g") {
            if absolute == nil || preferred { absolute = (value, dose) }
        } else {
            unusableDoses.append(dose)
        }
    }

    private func readTiming(
        _ timing: Timing?, order: MedicationRequest, firstAdministration: (FHIRMoment?) -> (String, FHIRMoment)?
    ) {
        let repeatPath = "\(dosagePath).timing.repeat"
        let repetition = timing?.repeat
        // The infusion days listed one by one (`timing.event`), as some hospitals write a course:
        // the course runs from the first to the last, one infusion per event.
        let events = (timing?.event ?? []).compactMap { FHIRMoment.of($0.value?.text).map { (($0.firstDay), $0) } }
        if repetition == nil, let first = events.min(by: { $0.0 < $1.0 }), let last = events.max(by: { $0.0 < $1.0 }) {
            let text = timing!.event.compactMap { $0.value?.text }.min() ?? ""
            (start, startText, startPath, startSource) = (first.1, text, "\(dosagePath).timing.event[0]", .boundsPeriod)
            administrations = ExactRational(events.count)
            perDay = max(ExactRational(events.count).dividing(by: ExactRational(Set(events.map(\.0)).count)), .one)
            (days, daysPath) = (ExactRational(Set(events.map(\.0)).count), "\(dosagePath).timing.event")
            lastDay = last.0
            return
        }
        let authoredText = order.authoredOn?.value?.text
        let authored = FHIRMoment.of(authoredText)
        if case .period(let bounds)? = repetition?.bounds, let text = bounds.start?.value?.text,
            let moment = FHIRMoment(text)
        {
            (start, startText, startPath, startSource) = (
                moment, text, repeatPath + ".boundsPeriod.start", .boundsPeriod
            )
        } else if let (text, moment) = firstAdministration(authored) {
            (start, startText, startPath) = (moment, text, authored == nil ? dosagePath : "authoredOn")
            startSource = .firstAdministration(authoredOn: authoredText)
        } else if let authoredText, let authored {
            (start, startText, startPath, startSource) = (authored, authoredText, "authoredOn", .authoredOn)
        }
        guard let repetition else {
            if timing == nil {  // no timing: one infusion
                (administrations, days, daysPath) = (.one, .one, dosagePath)
                lastDay = start?.firstDay
            }
            return
        }
        let frequency = ExactRational(Int(repetition.frequency?.value ?? 1))
        let period = repetition.period?.value?.exactValue.map(ExactRational.init) ?? .one
        let periodDays = period * Self.days(perUnit: repetition.periodUnit?.value ?? "d")
        if let count = repetition.count?.value { administrations = ExactRational(Int(count)) }
        if !periodDays.isZero, !(periodDays < ExactRational(7)) {
            // A maintenance order: each period holds one course of `frequency` consecutive
            // infusion days, once a day (FHIR has no element for "consecutive"; this is the
            // reading, documented in the README).
            (intervalDays, intervalPath) = (periodDays, repeatPath + ".period")
            (days, daysPath) = (frequency, repeatPath + (frequency == .one ? ".period" : ".frequency"))
            let repeats = administrations
            administrations = frequency
            // The regimen ends with its bounds, or after `count` infusions (`count` / `frequency`
            // courses); otherwise it is open.
            if case .period(let bounds)? = repetition.bounds, let end = FHIRMoment.of(bounds.end?.value?.text) {
                lastDay = end.lastDay
            } else if let start, let repeats, let courses = Self.integer(Self.ceiling(repeats.dividing(by: frequency))),
                let step = Self.integer(Self.ceiling(periodDays)), let perCourse = Self.integer(frequency)
            {
                lastDay = start.firstDay + (courses - 1) * step + perCourse - 1
            }
            return
        }
        perDay = periodDays.isZero ? .one : max(frequency.dividing(by: periodDays), .one)
        if let administrations {
            days = Self.ceiling(administrations.dividing(by: perDay))
            daysPath = repeatPath + ".count"
        } else if case .period(let bounds)? = repetition.bounds,
            let startDay = FHIRMoment.of(bounds.start?.value?.text),
            let endDay = FHIRMoment.of(bounds.end?.value?.text)
        {
            days = ExactRational(endDay.lastDay - startDay.firstDay + 1)
            daysPath = repeatPath + ".boundsPeriod"
            administrations = days! * perDay
        } else if case .duration(let duration)? = repetition.bounds, let measured = MeasuredValue(duration: duration),
            let value = measured.value(in: "d")
        {
            days = Self.ceiling(value)
            daysPath = repeatPath + ".boundsDuration"
            administrations = days! * perDay
        }
        if case .period(let bounds)? = repetition.bounds, let end = FHIRMoment.of(bounds.end?.value?.text) {
            lastDay = end.lastDay
        } else if let start, let days, let whole = Self.integer(days) {
            lastDay = start.firstDay + whole - 1
        }
    }

    /// The earliest administration of the order at `entry` (not entered in error, not
    /// `not-done`) dated on or after `earliest` (by calendar day, as ivig-admin-date compares):
    /// its `effective[x]` text and moment.
    static func firstAdministration(
        ofOrder entry: Int, notBefore earliest: FHIRMoment?, in context: ValidationContext
    ) -> (String, FHIRMoment)? {
        var first: (String, FHIRMoment)?
        for index in context.administrations(ofOrder: entry) {
            guard case .medicationAdministration(let administration) = context.entries[index].resource,
                !["entered-in-error", "not-done"].contains(administration.status?.value ?? ""),
                let (text, moment, _) = AdministrationRules.effective(administration)
            else { continue }
            if let earliest, moment.lastDay < earliest.firstDay { continue }  // before the order: an error, not a start
            if let current = first?.1, !Self.isEarlier(moment, than: current) { continue }
            first = (text, moment)
        }
        return first
    }

    /// Ordered by calendar day, then by instant when both have one.
    private static func isEarlier(_ lhs: FHIRMoment, than rhs: FHIRMoment) -> Bool {
        if lhs.firstDay != rhs.firstDay { return lhs.firstDay < rhs.firstDay }
        if let a = lhs.instant, let b = rhs.instant { return a < b }
        return false
    }

    /// The whole course's dose per kg, when both the dose and the number of administrations are known.
    func courseGramsPerKg(weightKg: ExactRational?) -> ExactRational? {
        guard let administrations, let perAdministration = gramsPerKg(weightKg: weightKg) else { return nil }
        return perAdministration * administrations
    }

    /// The dose per kg of one infusion day.
    func dailyGramsPerKg(weightKg: ExactRational?) -> ExactRational? {
        gramsPerKg(weightKg: weightKg).map { $0 * perDay }
    }

    /// The dose per kg of one administration: stated, or grams divided by the weight.
    func gramsPerKg(weightKg: ExactRational?) -> ExactRational? {
        if let perKg { return perKg.grams }
        if let absolute, let weightKg, !weightKg.isZero { return absolute.grams.dividing(by: weightKg) }
        return nil
    }

    /// The dose in grams of one administration: per kg times the weight when both are known
    /// (the prescribed dose; a calculated dose in grams is checked against it by
    /// ivig-dose-weight), else the dose in grams as stated.
    func grams(weightKg: ExactRational?) -> ExactRational? {
        if let perKg, let weightKg { return perKg.grams * weightKg }
        return absolute?.grams
    }

    /// The dose the rules check: the per-kg one when stated, else the absolute one.
    var primaryDosePath: String? { perKg?.dose.path ?? absolute?.dose.path }

    static func days(perUnit unit: String) -> ExactRational {
        switch unit {
        case "s": return ExactRational(1).dividing(by: ExactRational(86_400))
        case "min": return ExactRational(1).dividing(by: ExactRational(1440))
        case "h": return ExactRational(1).dividing(by: ExactRational(24))
        case "wk": return ExactRational(7)
        case "mo": return ExactRational(30)
        case "a": return ExactRational(365)
        default: return .one
        }
    }

    static func ceiling(_ value: ExactRational) -> ExactRational {
        // An integer (of fewer than the 40 digits kept below) is what the rounding gives back.
        if integer(value) != nil { return value }
        let whole = value.decimal(significantDigits: 40).rounded(toExponent: 0, rounding: .awayFromZero)
        return ExactRational(whole)
    }

    static func integer(_ value: ExactRational) -> Int? {
        value.denominator == 1 ? Int(exactly: value.numerator) : nil
    }
}
