import ExactArithmetic
import FHIRCore
import IVIGProducts

/// What the rules need to know about one IVIG order, gathered once (``DosingMemo``) and shared,
/// not copied, by the order's checks and each of its administrations'.
final class OrderFacts {
    let order: MedicationRequest
    let entry: Int
    let medication: MedicationIdentity
    /// `medicationReference` or `medicationCodeableConcept`.
    let medicationPath: String
    let indication: DosingRules.Indication?
    let subject: String?
    /// The body weight used for dosing (kg): the one the order names in `supportingInformation`,
    /// else the most recent weight before the order.
    let weight: Measurement?
    /// When the order was written (else its course start): weights must not be later.
    let time: FHIRMoment?

    init(
        order: MedicationRequest, entry: Int, medication: MedicationIdentity, medicationPath: String,
        indication: DosingRules.Indication?, subject: String?, weight: Measurement?, time: FHIRMoment?
    ) {
        self.order = order
        self.entry = entry
        self.medication = medication
        self.medicationPath = medicationPath
        self.indication = indication
        self.subject = subject
        self.weight = weight
        self.time = time
    }
}

/// The rules about an IVIG order (MedicationRequest): ivig-dose-weight, ivig-dosing-weight,
/// ivig-daily-dose, ivig-course-days, ivig-course-dose, ivig-course-interval, ivig-rate-initial,
/// ivig-rate-max, ivig-product-concentration, and the ivig-context-* information when context
/// is missing. Orders of other medications are left alone.
struct OrderRules {
    let rules: DosingRules
    let context: ValidationContext
    let memo: DosingMemo

    func check(_ order: MedicationRequest, entry: Int) -> [ValidationFinding] {
        let make = FindingBuilder(context: context, entry: entry)
        switch gather(order, entry: entry) {
        case .notIVIG:
            return []
        case .unknownMedication(let finding):
            return [finding]
        case .ivig(let facts, var findings):
            findings += concentrationConsistency(facts, make)
            for index in order.dosageInstruction.indices {
                let course = memo.course(of: order, index: index, entry: entry, context: context)
                findings += CourseRules(rules: rules, context: context, memo: memo, facts: facts, make: make)
                    .check(course)
                findings += RateRules(rules: rules, facts: facts, medication: facts.medication, make: make)
                    .checkOrder(course)
            }
            return findings
        }
    }

    /// What gathering an order's facts gave.
    enum Gathered {
        /// Not an IVIG order (or entered in error): no dosing rule applies.
        case notIVIG
        /// The medication is a reference that is not in the context.
        case unknownMedication(ValidationFinding)
        /// An IVIG order, with information about what context is missing.
        case ivig(OrderFacts, [ValidationFinding])
    }

    /// The medication, indication and weight of an order, with information findings for what
    /// the context lacks.
    func gather(_ order: MedicationRequest, entry: Int) -> Gathered {
        memo.gathered(entry: entry) { gatherAnew(order, entry: entry) }
    }

    /// ``gather(_:entry:)`` for the MedicationRequest at `entry`, which is read only the first time.
    func gather(orderAt entry: Int) -> Gathered {
        memo.gathered(entry: entry) {
            guard case .medicationRequest(let order) = context.entries[entry].resource else { return .notIVIG }
            return gatherAnew(order, entry: entry)
        }
    }

    private func gatherAnew(_ order: MedicationRequest, entry: Int) -> Gathered {
        guard order.status?.value != "entered-in-error" else { return .notIVIG }
        let make = FindingBuilder(context: context, entry: entry)
        let identifier = MedicationIdentifier(rules: rules, context: context, memo: memo)
        let medicationPath: String
        let lookup: MedicationLookup
        switch order.medication {
        case .codeableConcept(let concept)?:
            (medicationPath, lookup) = (
                "medicationCodeableConcept", identifier.lookup(codeableConcept: concept, reference: nil, from: entry)
            )
        case .reference(let reference)?:
            (medicationPath, lookup) = (
                "medicationReference", identifier.lookup(codeableConcept: nil, reference: reference, from: entry)
            )
        case nil:
            return .notIVIG
        }
        let medication: MedicationIdentity
        switch lookup {
        case .identified(let identity) where identity.isIVIG: medication = identity
        case .identified, .absent: return .notIVIG
        case .unresolved(let reference):
            return .unknownMedication(
                make.make(
                    .information, DosingRuleID.contextMedication,
                    "whether this is an IVIG order cannot be told: the Medication \(reference) is not in the input, so no dosing rule was checked",
                    at: medicationPath))
        }
        var findings: [ValidationFinding] = []
        let indication: DosingRules.Indication?
        switch IndicationResolver(rules: rules, context: context).indication(of: order, entry: entry) {
        case .found(let found, _): indication = found
        case .missing(let reason, let path):
            indication = nil
            findings.append(
                make.make(
                    .information, DosingRuleID.contextIndication,
                    reason + "; the dose ranges per indication were not checked", at: path))
        }
        let firstCourse =
            order.dosageInstruction.isEmpty
            ? nil : memo.course(of: order, index: 0, entry: entry, context: context)
        let time = FHIRMoment.of(order.authoredOn?.value?.text) ?? firstCourse?.start
        let subject = context.identity(of: order.subject, from: entry)
        var weight: Measurement?
        let measurements = PatientMeasurements(rules: rules, context: context)
        // The weight the order was dosed on, when it names one; else the patient's latest before it.
        switch measurements.statedWeight(of: order, entry: entry) ?? measurements.weight(subject: subject, before: time)
        {
        case .found(let found): weight = found
        case .none:
            findings.append(
                make.make(
                    .information, DosingRuleID.contextWeight,
                    "no body-weight Observation (LOINC 29463-7) of \(order.subject?.reference?.value ?? "the patient") is in the input, so doses per kg cannot be compared with doses in grams, and rates per hour cannot be converted",
                    at: "subject"))
        case .onlyLater(let date):
            findings.append(
                make.make(
                    .information, DosingRuleID.contextWeight,
                    "the only body weight of the patient is dated \(date), after the order (\(order.authoredOn?.value?.text ?? "its start")); a dose needs the weight taken before it",
                    at: "subject"))
        case .unusable(let path):
            findings.append(
                make.make(
                    .information, DosingRuleID.contextWeight,
                    "the body weight at \(path) has no UCUM mass unit (kg, g, [lb_av]), so it cannot be used for dosing",
                    at: "subject"))
        }
        let facts = OrderFacts(
            order: order, entry: entry, medication: medication, medicationPath: medicationPath, indication: indication,
            subject: subject, weight: weight, time: time)
        return .ivig(facts, findings)
    }

    /// ivig-product-concentration: the Medication's strength against the product table.
    private func concentrationConsistency(_ facts: OrderFacts, _ make: FindingBuilder) -> [ValidationFinding] {
        guard let product = facts.medication.product, let stated = facts.medication.concentration,
            facts.medication.concentrationSource?.hasPrefix("the Medication") == true,
            case let table = product.milligramsPerMillilitre, table != stated
        else { return [] }
        return [
            make.make(
                .warning, DosingRuleID.productConcentration,
                "the Medication's ingredient strength is \(Display.number(stated)) mg/mL, but \(product.display) is \(Display.number(table)) mg/mL in the product table",
                at: facts.medicationPath)
        ]
    }
}
