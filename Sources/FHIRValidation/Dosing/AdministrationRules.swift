import ExactArithmetic
import FHIRCore
import IVIGProducts

/// The rules about an IVIG infusion (MedicationAdministration) against its order
/// (`request`): ivig-admin-subject, ivig-admin-product, ivig-admin-dose, ivig-admin-date, and
/// ivig-rate-max on the rate given.
struct AdministrationRules {
    let rules: DosingRules
    let context: ValidationContext
    let memo: DosingMemo

    func check(_ administration: MedicationAdministration, entry: Int) -> [ValidationFinding] {
        guard !["entered-in-error", "not-done"].contains(administration.status?.value ?? "") else { return [] }
        let make = FindingBuilder(context: context, entry: entry)
        let identifier = MedicationIdentifier(rules: rules, context: context, memo: memo)
        let medicationPath: String
        let lookup: MedicationLookup
        switch administration.medication {
        case .codeableConcept(let concept)?:
            (medicationPath, lookup) = (
                "medicationCodeableConcept", identifier.lookup(codeableConcept: concept, reference: nil, from: entry)
            )
        case .reference(let reference)?:
            (medicationPath, lookup) = (
                "medicationReference", identifier.lookup(codeableConcept: nil, reference: reference, from: entry)
            )
        case nil:
            (medicationPath, lookup) = ("", .absent)
        }
        let given: MedicationIdentity?
        if case .identified(let identity) = lookup { given = identity } else { given = nil }

        // The order: needed for every rule here.
        guard let request = administration.request else {
            guard given?.isIVIG == true else { return [] }
            return [
                make.make(
                    .information, DosingRuleID.contextOrder,
                    "this IVIG infusion names no order (request), so its dose, product and date cannot be checked against one",
                    at: "")
            ]
        }
        guard let orderEntry = context.resolve(request, from: entry),
            case .medicationRequest = context.entries[orderEntry].resource
        else {
            guard given?.isIVIG != false else { return [] }
            return [
                make.make(
                    .information, DosingRuleID.contextOrder,
                    "the order \(request.reference?.value ?? "named in request") is not in the input, so the infusion's dose, product and date cannot be checked against it",
                    at: "request")
            ]
        }
        guard
            case .ivig(let facts, _) = OrderRules(rules: rules, context: context, memo: memo).gather(
                orderAt: orderEntry)
        else { return [] }
        let order = facts.order
        var findings: [ValidationFinding] = []
        let orderName = context.entries[orderEntry].resource.resourceID.map { "MedicationRequest/\($0)" } ?? "the order"

        // ivig-admin-subject
        if let ordered = facts.subject, let subject = context.identity(of: administration.subject, from: entry),
            ordered != subject
        {
            findings.append(
                make.make(
                    .error, DosingRuleID.adminSubject,
                    "the infusion is for \(subject), but \(orderName) is for \(ordered)",
                    at: "subject"))
        }
        // ivig-admin-product
        if let given, !given.productKeys.isEmpty, !facts.medication.productKeys.isEmpty,
            given.productKeys.isDisjoint(with: facts.medication.productKeys)
        {
            findings.append(
                make.make(
                    .error, DosingRuleID.adminProduct,
                    "the infusion gave \(given.product?.display ?? given.productKeys.sorted().joined(separator: ", ")), but \(orderName) is for \(facts.medication.product?.display ?? facts.medication.productKeys.sorted().joined(separator: ", "))",
                    at: medicationPath))
        }
        let course =
            order.dosageInstruction.isEmpty
            ? nil : memo.course(of: order, index: 0, entry: orderEntry, context: context)
        // ivig-admin-dose
        if let course, let dose = administration.dosage?.dose {
            if administration.status?.value == "stopped" || !administration.statusReason.isEmpty {
                // An infusion cut short gives less than ordered on purpose: not a dosing error.
                findings.append(stoppedFinding(administration, entry: entry, dose: dose, make: make))
            } else {
                findings += doseFindings(
                    dose, course: course, facts: facts, given: given, orderName: orderName, make: make)
            }
        }
        // ivig-admin-date
        if let course, let (text, moment, path) = Self.effective(administration) {
            if let start = course.start, moment.lastDay < start.firstDay {
                let when: String
                if case .firstAdministration(let authoredOn?)? = course.startSource {
                    // Only an infusion dated before the order was written is before a course
                    // anchored at the order's first infusion.
                    when = "before \(orderName) was written (authoredOn \(authoredOn))"
                } else {
                    when =
                        "before the course of \(orderName) starts (\(course.startText ?? FHIRMoment.dateText(start.firstDay)))"
                }
                findings.append(
                    make.make(.error, DosingRuleID.adminDate, "the infusion on \(text) is \(when)", at: path))
            } else if let last = course.lastDay, last < moment.firstDay {
                var ends = FHIRMoment.dateText(last)
                if case .firstAdministration? = course.startSource, let startText = course.startText {
                    ends +=
                        "; the order states no boundsPeriod.start, so its course starts at its first infusion, \(startText)"
                }
                findings.append(
                    make.make(
                        .error, DosingRuleID.adminDate,
                        "the infusion on \(text) is after the course of \(orderName) ends (\(ends))",
                        at: path))
            }
        }
        // ivig-rate-max on the rate given
        if let rate = administration.dosage?.rate {
            let medication = given.flatMap { $0.product != nil ? $0 : nil } ?? facts.medication
            findings += RateRules(rules: rules, facts: facts, medication: medication, make: make)
                .checkGiven(rate, at: "dosage")
        }
        return findings
    }

    private func doseFindings(
        _ dose: Quantity, course: OrderedCourse, facts: OrderFacts, given: MedicationIdentity?, orderName: String,
        make: FindingBuilder
    ) -> [ValidationFinding] {
        guard let measured = MeasuredValue(dose) else {
            return [
                make.make(
                    .information, DosingRuleID.contextDose,
                    "the dose given cannot be checked: it has no value with a UCUM unit (found \(dose.code?.value ?? dose.unit?.value ?? "no unit"))",
                    at: "dosage.dose")
            ]
        }
        var grams = measured.value(in: "g")
        if grams == nil, let millilitres = measured.value(in: "mL"),
            let concentration = given?.concentration ?? facts.medication.concentration
        {
            grams = (millilitres * concentration).dividing(by: ExactRational(1000))
        }
        guard let grams else {
            return [
                make.make(
                    .information, DosingRuleID.contextDose,
                    "the dose given (\(measured.description)) cannot be checked: it is not a mass, nor a volume of a product of known concentration",
                    at: "dosage.dose")
            ]
        }
        guard let expected = course.grams(weightKg: facts.weight?.value) else {
            return [
                make.make(
                    .information, DosingRuleID.contextWeight,
                    "the dose given cannot be checked: \(orderName) is dosed per kg and the patient's weight is not in the input",
                    at: "dosage.dose")
            ]
        }
        let percent = expected * ExactRational(rules.administrationTolerancePercent).dividing(by: ExactRational(100))
        let rounding = ExactRational(rules.roundingGrams).dividing(by: ExactRational(2))
        let tolerance = percent + rounding
        let difference = grams < expected ? expected - grams : grams - expected
        guard tolerance < difference else { return [] }
        let shown = measured.unit == "g" ? measured.description : "\(measured.description) = \(Display.number(grams)) g"
        return [
            make.make(
                .error, DosingRuleID.adminDose,
                "the dose given, \(shown), differs from the \(Display.number(expected)) g per infusion \(orderName) orders by more than \(Display.number(rules.administrationTolerancePercent))% plus half a \(Display.number(rules.roundingGrams)) g vial (\(Display.number(expected - tolerance))–\(Display.number(expected + tolerance)) g)",
                at: "dosage.dose")
        ]
    }

    /// ivig-admin-stopped (information): what a stopped infusion gave, why, and the reactions
    /// that name it as their suspect.
    private func stoppedFinding(
        _ administration: MedicationAdministration, entry: Int, dose: Quantity, make: FindingBuilder
    ) -> ValidationFinding {
        let given = MeasuredValue(dose)?.description ?? "an unreadable dose"
        let reasons = administration.statusReason.compactMap { $0.text?.value ?? $0.coding.first?.display?.value }
        var message = "the infusion was \(administration.status?.value ?? "stopped") after \(given)"
        if !reasons.isEmpty { message += " (\(reasons.joined(separator: "; ")))" }
        message += ", so its dose is not compared with the order's"
        let events = reactions(to: entry, subject: context.identity(of: administration.subject, from: entry))
        if !events.isEmpty { message += "; reaction: \(events.joined(separator: ", "))" }
        return make.make(.information, DosingRuleID.adminStopped, message, at: "status")
    }

    /// The AdverseEvents of a subject whose `suspectEntity.instance` is the administration at `entry`.
    private func reactions(to entry: Int, subject: String?) -> [String] {
        guard let subject else { return [] }
        return context.entries(aboutSubject: subject).compactMap { other in
            guard case .adverseEvent(let event) = context.entries[other].resource,
                event.suspectEntity.contains(where: { context.resolve($0.instance, from: other) == entry })
            else { return nil }
            let name = event.id?.value.map { "AdverseEvent/\($0)" } ?? context.entries[other].path.expression
            let what = event.event?.text?.value ?? event.event?.coding.first?.display?.value
            return what.map { "\(name) (\($0))" } ?? name
        }
    }

    /// `effective[x]`: its text, moment and path.
    static func effective(_ administration: MedicationAdministration) -> (String, FHIRMoment, String)? {
        switch administration.effective {
        case .dateTime(let value)?:
            guard let text = value.value?.text, let moment = FHIRMoment(text) else { return nil }
            return (text, moment, "effectiveDateTime")
        case .period(let period)?:
            guard let text = period.start?.value?.text, let moment = FHIRMoment(text) else { return nil }
            return (text, moment, "effectivePeriod.start")
        case nil:
            return nil
        }
    }
}
