import FHIRCore

/// The IVIG dosing layer: runs the order, administration, observation and adverse-event rules
/// over the resources of one record, looking up whatever else they need in the context.
struct DosingValidator {
    let context: ValidationContext
    // Made once for the records one validator checks (each holds its own copy of the rules and
    // the context, whose arrays a copy retains one by one), sharing one memo.
    private let orders: OrderRules
    private let administrations: AdministrationRules
    private let observations: ObservationScaleRules
    private let events: AdverseEventRules

    init(rules: DosingRules, context: ValidationContext) {
        self.context = context
        let memo = DosingMemo()
        orders = OrderRules(rules: rules, context: context, memo: memo)
        administrations = AdministrationRules(rules: rules, context: context, memo: memo)
        observations = ObservationScaleRules(rules: rules, context: context)
        events = AdverseEventRules(rules: rules, context: context, memo: memo)
    }

    func validate(record: Int) -> [ValidationFinding] {
        var findings: [ValidationFinding] = []
        for entry in context.entries(ofRecord: record) {
            switch context.entries[entry].resource {
            case .medicationRequest(let order): findings += orders.check(order, entry: entry)
            case .medicationAdministration(let administration):
                findings += administrations.check(administration, entry: entry)
            case .observation(let observation): findings += observations.check(observation, entry: entry)
            case .adverseEvent(let event): findings += events.check(event, entry: entry)
            default: break
            }
        }
        return findings
    }
}

/// Builds findings about one entry of the context, at a path inside it.
struct FindingBuilder {
    let context: ValidationContext
    let entry: Int

    func make(
        _ severity: ValidationFinding.Severity, _ rule: DosingRuleID, _ message: String, at suffix: String,
        type: ValidationFinding.IssueType? = nil
    ) -> ValidationFinding {
        let issueType = type ?? (severity == .information ? .informational : .businessRule)
        return ValidationFinding(
            severity, issueType, rule: rule.rawValue, message, at: context.entries[entry].path(suffix))
    }
}

/// Finds an order's indication in `reasonCode`, or in the Conditions of `reasonReference`.
struct IndicationResolver {
    let rules: DosingRules
    let context: ValidationContext

    enum Outcome {
        case found(DosingRules.Indication, path: String)
        /// Nothing usable: why, and where to point.
        case missing(String, path: String)
    }

    func indication(of order: MedicationRequest, entry: Int) -> Outcome {
        var seen: [String] = []
        for (index, concept) in order.reasonCode.enumerated() {
            for coding in concept.coding {
                if let found = rules.indication(system: coding.system?.value, code: coding.code?.value) {
                    return .found(found, path: "reasonCode[\(index)]")
                }
                if let code = coding.code?.value { seen.append(code) }
            }
        }
        var unresolved: [String] = []
        for (index, reference) in order.reasonReference.enumerated() {
            guard let target = context.resolve(reference, from: entry) else {
                unresolved.append(reference.reference?.value ?? reference.display?.value ?? "?")
                continue
            }
            guard case .condition(let condition) = context.entries[target].resource else { continue }
            for coding in condition.code?.coding ?? [] {
                if let found = rules.indication(system: coding.system?.value, code: coding.code?.value) {
                    return .found(found, path: "reasonReference[\(index)]")
                }
                if let code = coding.code?.value { seen.append(code) }
            }
        }
        let path =
            !order.reasonReference.isEmpty ? "reasonReference[0]" : (!order.reasonCode.isEmpty ? "reasonCode[0]" : "")
        if !unresolved.isEmpty && seen.isEmpty {
            return .missing(
                "the indication cannot be checked: the Condition \(unresolved.joined(separator: ", ")) named in reasonReference is not in the input",
                path: path)
        }
        if seen.isEmpty {
            return .missing(
                "the indication cannot be checked: the order has no reasonCode or reasonReference naming its indication (a SNOMED CT or ICD-10-CM code)",
                path: path)
        }
        let known = rules.indications.filter { !$0.codes.isEmpty }.map(\.id).joined(separator: ", ")
        return .missing(
            "the indication cannot be checked: the reason codes \(seen.joined(separator: ", ")) are not among the indications of the rules file (\(known))",
            path: path)
    }
}
