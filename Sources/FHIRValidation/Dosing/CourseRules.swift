import ExactArithmetic
import FHIRCore
import IVIGProducts

/// The rules about one course of an IVIG order: dose against weight, dose-determining weight,
/// daily dose, number of days, course dose and the interval between courses, against the
/// indication's regimens in the rules file.
struct CourseRules {
    let rules: DosingRules
    let context: ValidationContext
    let memo: DosingMemo
    let facts: OrderFacts
    let make: FindingBuilder

    func check(_ course: OrderedCourse) -> [ValidationFinding] {
        guard course.perKg != nil || course.absolute != nil else {
            let reason: String
            if course.hasDoseRange {
                reason = "only a dose range (doseRange) is given"
            } else if let dose = course.unusableDoses.first {
                reason = "the dose unit '\(dose.measured.unit)' is not a UCUM mass or mass per kg (g, mg, g/kg, mg/kg)"
            } else {
                reason = "no doseQuantity is given"
            }
            return [
                make.make(
                    .information, DosingRuleID.contextDose, "the dose cannot be checked: \(reason)",
                    at: course.dosagePath)
            ]
        }
        var findings: [ValidationFinding] = []
        let weightKg = facts.weight?.value
        findings += doseAgainstWeight(course, weightKg: weightKg)
        findings += dosingWeight(course)
        if course.days == nil {
            findings.append(
                make.make(
                    .information, DosingRuleID.contextDose,
                    "the course length cannot be checked: timing.repeat gives neither count, boundsPeriod nor boundsDuration",
                    at: course.dosagePath + ".timing"))
        }
        guard let indication = facts.indication else { return findings }
        let courseOfTherapy = facts.order.courseOfTherapyType?.coding
            .first { $0.system?.value == rules.courseOfTherapySystem }?.code?.value
        var candidates = indication.regimens.filter { regimen in
            courseOfTherapy.map(regimen.courseOfTherapy.contains) ?? false
        }
        if candidates.isEmpty { candidates = indication.regimens }
        let previous = previousCourse(before: course)
        // The regimen the course fits best: fewest errors, then the first in the rules file.
        let evaluated = candidates.map { regimen in
            regimenFindings(course, indication: indication, regimen: regimen, weightKg: weightKg, previous: previous)
        }
        let best = evaluated.min { lhs, rhs in
            lhs.filter { $0.severity.isError }.count < rhs.filter { $0.severity.isError }.count
        }
        findings += best ?? []
        return findings
    }

    // MARK: Dose and weight

    /// ivig-dose-weight: a dose in grams must be the dose per kg times the weight (within vial rounding).
    private func doseAgainstWeight(_ course: OrderedCourse, weightKg: ExactRational?) -> [ValidationFinding] {
        guard let perKg = course.perKg, let absolute = course.absolute, let weightKg, let weight = facts.weight else {
            return []
        }
        let expected = perKg.grams * weightKg
        let allowance = ExactRational(rules.roundingGrams).dividing(by: ExactRational(2))
        let difference = absolute.grams < expected ? expected - absolute.grams : absolute.grams - expected
        guard allowance < difference else { return [] }
        return [
            make.make(
                .error, DosingRuleID.doseWeight,
                "the dose \(absolute.dose.measured.description) does not match \(perKg.dose.measured.description) × \(Display.number(weightKg)) kg (\(weight.source)) = \(Display.number(expected)) g; with rounding to whole \(Display.number(rules.roundingGrams)) g vials it would be \(Display.number(expected - allowance))–\(Display.number(expected + allowance)) g",
                at: absolute.dose.path)
        ]
    }

    /// ivig-dosing-weight (information): ideal and dose-determining weight when BMI is over the threshold.
    private func dosingWeight(_ course: OrderedCourse) -> [ValidationFinding] {
        let measurements = PatientMeasurements(rules: rules, context: context)
        guard let weight = facts.weight, let dosePath = course.primaryDosePath,
            case .found(let height) = measurements.statedHeight(of: facts.order, entry: facts.entry)
                ?? measurements.height(subject: facts.subject, before: facts.time)
        else { return [] }
        let gender: String? = context.resolve(facts.order.subject, from: facts.entry).flatMap { target in
            if case .patient(let patient) = context.entries[target].resource { return patient.gender?.value }
            return nil
        }
        switch DosingWeight.compute(weightKg: weight.value, heightCm: height.value, gender: gender, rules: rules) {
        case .success(nil):
            return []
        case .failure(let problem):
            return [
                make.make(
                    .information, DosingRuleID.dosingWeight,
                    "the dose-determining weight cannot be computed: \(problem.reason)", at: dosePath)
            ]
        case .success(let dosing?):
            var message =
                "BMI \(Display.number(dosing.bmi, decimals: 1)) (\(Display.number(weight.value)) kg, \(Display.number(height.value)) cm) is over \(Display.number(rules.dosingWeightBMIAbove)): ideal body weight \(Display.number(dosing.idealKg, decimals: 1)) kg, dose-determining weight \(Display.number(dosing.doseDeterminingKg, decimals: 1)) kg (IBW + \(Display.number(rules.dosingWeightAdjustment)) × (weight − IBW))"
            if let perKg = course.perKg {
                message +=
                    "; \(perKg.dose.measured.description) is \(Display.number(perKg.grams * dosing.doseDeterminingKg, decimals: 1)) g on it, \(Display.number(perKg.grams * weight.value, decimals: 1)) g on actual weight"
            } else if let absolute = course.absolute {
                message +=
                    "; \(absolute.dose.measured.description) is \(Display.number(absolute.grams.dividing(by: dosing.doseDeterminingKg))) g/kg of it, \(Display.number(absolute.grams.dividing(by: weight.value))) g/kg of actual weight"
            }
            return [make.make(.information, DosingRuleID.dosingWeight, message, at: dosePath)]
        }
    }

    // MARK: Regimen

    private func regimenFindings(
        _ course: OrderedCourse, indication: DosingRules.Indication, regimen: DosingRules.Regimen,
        weightKg: ExactRational?, previous: PreviousCourse?
    ) -> [ValidationFinding] {
        var findings: [ValidationFinding] = []
        let name = "\(indication.id) \(regimen.id)"
        let dosePath = course.primaryDosePath ?? course.dosagePath
        if let perAdministration = course.gramsPerKg(weightKg: weightKg) {
            // A dose in grams may be rounded to whole vials: half a vial step per administration.
            let allowance =
                course.perKg != nil || weightKg == nil
                ? ExactRational.zero
                : ExactRational(rules.roundingGrams).dividing(by: ExactRational(2)).dividing(by: weightKg!)
            let derived =
                course.perKg == nil
                ? " (\(course.absolute!.dose.measured.description) for \(Display.number(weightKg!)) kg)" : ""
            let daily = perAdministration * course.perDay
            let perDay =
                course.perDay == .one
                ? "" : " (\(Display.number(perAdministration)) g/kg × \(Display.number(course.perDay)) a day)"
            if !regimen.dailyGramsPerKg.contains(daily, allowance: allowance * course.perDay) {
                findings.append(
                    make.make(
                        .error, DosingRuleID.dailyDose,
                        "the daily dose \(Display.number(daily)) g/kg/day\(perDay)\(derived) is outside the \(name) range of \(Display.bounds(regimen.dailyGramsPerKg, unit: "g/kg/day")) (\(regimen.source))",
                        at: dosePath))
            } else if let cap = indication.maximumDailyGramsPerKg,
                ExactRational(cap) < daily - allowance * course.perDay
            {
                findings.append(
                    make.make(
                        .error, DosingRuleID.dailyDose,
                        "the daily dose \(Display.number(daily)) g/kg/day\(perDay)\(derived) is above the \(Display.number(cap)) g/kg a day no \(indication.id) regimen exceeds",
                        at: dosePath))
            }
            if let administrations = course.administrations {
                let total = perAdministration * administrations
                if !regimen.courseGramsPerKg.contains(total, allowance: allowance * administrations) {
                    findings.append(
                        make.make(
                            .error, DosingRuleID.courseDose,
                            "the course dose \(Display.number(total)) g/kg (\(Display.number(perAdministration)) g/kg × \(Display.number(administrations)))\(derived) is outside the \(name) range of \(Display.bounds(regimen.courseGramsPerKg, unit: "g/kg")) (\(regimen.source))",
                            at: dosePath))
                }
            }
        }
        if let days = course.days, let daysPath = course.daysPath {
            // The regimen's range first, then the length of any course; the text only when one is broken.
            let outside: String?
            if !regimen.days.contains(days) {
                outside = "the \(name) range of \(Display.bounds(regimen.days, unit: "days")) (\(regimen.source))"
            } else if !rules.courseDays.contains(days) {
                outside = "the \(Display.bounds(rules.courseDays, unit: "days")) an IVIG course lasts"
            } else {
                outside = nil
            }
            if let outside {
                findings.append(
                    make.make(
                        .error, DosingRuleID.courseDays,
                        "the course lasts \(Display.number(days)) day\(days == .one ? "" : "s"), outside \(outside)",
                        at: daysPath))
            }
        }
        findings += intervalFindings(course, name: name, regimen: regimen, previous: previous)
        return findings
    }

    private func intervalFindings(
        _ course: OrderedCourse, name: String, regimen: DosingRules.Regimen, previous: PreviousCourse?
    ) -> [ValidationFinding] {
        var findings: [ValidationFinding] = []
        if let interval = course.intervalDays, let path = course.intervalPath, let bounds = regimen.intervalDays {
            findings += intervalFinding(
                interval, bounds: bounds, name: name, regimen: regimen,
                what: "the order repeats every \(Display.number(interval)) days", at: path)
        }
        // A standing order that repeats (every 4 wk) is checked by its own period above; the gap
        // between its start and an earlier order's says nothing about the interval of courses.
        guard let previous, course.intervalDays == nil, let path = course.startPath else { return findings }
        var anchor = ""
        if case .firstAdministration? = course.startSource { anchor = " (its first infusion)" }
        var what: String {  // for findings only
            "this course starts \(course.startText ?? "")\(anchor), \(Display.number(previous.days, decimals: 1)) days after the previous \(facts.indication?.id ?? "") course (\(previous.name), starting \(previous.startText))"
        }
        if !regimen.repeatAdvised {
            findings.append(
                make.make(
                    .warning, DosingRuleID.courseInterval,
                    "\(what); a second \(facts.indication?.id ?? name) course is not advised (\(regimen.source))",
                    at: path))
        } else if let bounds = regimen.intervalDays {
            findings += intervalFinding(
                previous.days, bounds: bounds, name: name, regimen: regimen, what: what, at: path)
        }
        return findings
    }

    private func intervalFinding(
        _ days: ExactRational, bounds: DosingRules.Bounds, name: String, regimen: DosingRules.Regimen,
        what: @autoclosure () -> String,
        at path: String
    ) -> [ValidationFinding] {
        if bounds.isBelow(days) {
            return [
                make.make(
                    .error, DosingRuleID.courseInterval,
                    "\(what()): sooner than the \(name) interval of \(Display.bounds(bounds, unit: "days")) (\(regimen.source))",
                    at: path)
            ]
        }
        if bounds.isAbove(days) {
            return [
                make.make(
                    .warning, DosingRuleID.courseInterval,
                    "\(what()): longer than the \(name) interval of \(Display.bounds(bounds, unit: "days")) (\(regimen.source))",
                    at: path)
            ]
        }
        return []
    }

    // MARK: Previous course

    struct PreviousCourse {
        let days: ExactRational
        let name: String
        let startText: String
    }

    /// The latest other IVIG course (not a repeating standing order) for the same patient and
    /// indication that starts before this one.
    private func previousCourse(before course: OrderedCourse) -> PreviousCourse? {
        guard let subject = facts.subject, let start = course.start, let indication = facts.indication else {
            return nil
        }
        let identifier = MedicationIdentifier(rules: rules, context: context, memo: memo)
        let resolver = IndicationResolver(rules: rules, context: context)
        var best: (FHIRMoment, PreviousCourse)?
        for other in context.entries(aboutSubject: subject) where other != facts.entry {
            guard case .medicationRequest(let order) = context.entries[other].resource,
                !["entered-in-error", "cancelled"].contains(order.status?.value ?? ""),
                !order.dosageInstruction.isEmpty
            else { continue }
            let lookup: MedicationLookup
            switch order.medication {
            case .codeableConcept(let concept)?:
                lookup = identifier.lookup(codeableConcept: concept, reference: nil, from: other)
            case .reference(let reference)?:
                lookup = identifier.lookup(codeableConcept: nil, reference: reference, from: other)
            case nil: continue
            }
            guard case .identified(let medication) = lookup, medication.isIVIG,
                case .found(let otherIndication, _) = resolver.indication(of: order, entry: other),
                otherIndication.id == indication.id,
                case let otherCourse = memo.course(of: order, index: 0, entry: other, context: context),
                otherCourse.intervalDays == nil,
                let otherStart = otherCourse.start, let otherText = otherCourse.startText, otherStart.isBefore(start)
            else { continue }
            if best == nil || best!.0.isBefore(otherStart) {
                let entry = context.entries[other]
                let name = entry.resource.resourceID.map { "MedicationRequest/\($0)" } ?? entry.path.expression
                best = (
                    otherStart, PreviousCourse(days: start.days(since: otherStart), name: name, startText: otherText)
                )
            }
        }
        return best?.1
    }
}
