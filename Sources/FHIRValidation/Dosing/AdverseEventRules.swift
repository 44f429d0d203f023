import FHIRCore

/// ivig-adverse-event-link and ivig-adverse-event-date: an infusion reaction is linked to the
/// infusion it follows (`suspectEntity.instance` → MedicationAdministration) and dated at or
/// after the infusion's start.
struct AdverseEventRules {
    let rules: DosingRules
    let context: ValidationContext
    let memo: DosingMemo

    func check(_ event: AdverseEvent, entry: Int) -> [ValidationFinding] {
        guard event.actuality?.value != "potential" else { return [] }
        let make = FindingBuilder(context: context, entry: entry)
        var linked: [(index: Int, administration: MedicationAdministration)] = []
        var findings: [ValidationFinding] = []
        for (index, suspect) in event.suspectEntity.enumerated() {
            guard let reference = suspect.instance else { continue }
            if let target = context.resolve(reference, from: entry),
                case .medicationAdministration(let administration) = context.entries[target].resource
            {
                linked.append((index, administration))
            } else if let text = reference.reference?.value,
                text.contains("MedicationAdministration/") || reference.type?.value == "MedicationAdministration"
            {
                findings.append(
                    make.make(
                        .information, DosingRuleID.contextAdministration,
                        "the infusion \(text) is not in the input, so the reaction's date cannot be checked against it",
                        at: "suspectEntity[\(index)].instance"))
            }
        }
        if linked.isEmpty && findings.isEmpty {
            if hasIVIGInfusions(sameSubjectAs: event, entry: entry) {
                findings.append(
                    make.make(
                        .warning, DosingRuleID.adverseEventLink,
                        "the patient has IVIG infusions in the input, but this adverse event names none as suspect (suspectEntity.instance = MedicationAdministration/…), so it is not linked to the infusion it follows",
                        at: event.suspectEntity.isEmpty ? "" : "suspectEntity"))
            } else {
                findings.append(
                    make.make(
                        .information, DosingRuleID.contextAdministration,
                        "the adverse event names no MedicationAdministration as suspect, so whether it follows an infusion cannot be checked",
                        at: event.suspectEntity.isEmpty ? "" : "suspectEntity"))
            }
            return findings
        }
        let (dateText, datePath): (String?, String) =
            event.date?.value != nil
            ? (event.date?.value?.text, "date") : (event.detected?.value?.text, "detected")
        for (index, administration) in linked {
            guard let (startText, start, _) = AdministrationRules.effective(administration) else { continue }
            guard let dateText, let date = FHIRMoment(dateText) else {
                findings.append(
                    make.make(
                        .information, DosingRuleID.contextAdministration,
                        "the adverse event has no date (or detected), so it cannot be checked to follow the infusion of \(startText)",
                        at: "suspectEntity[\(index)]"))
                continue
            }
            if date.isBefore(start) {
                findings.append(
                    make.make(
                        .error, DosingRuleID.adverseEventDate,
                        "the adverse event is dated \(dateText), before the infusion it is linked to started (\(startText))",
                        at: datePath))
            }
        }
        return findings
    }

    private func hasIVIGInfusions(sameSubjectAs event: AdverseEvent, entry: Int) -> Bool {
        guard let subject = context.identity(of: event.subject, from: entry) else { return false }
        let identifier = MedicationIdentifier(rules: rules, context: context, memo: memo)
        return context.entries(aboutSubject: subject).contains { other in
            guard case .medicationAdministration(let administration) = context.entries[other].resource else {
                return false
            }
            let lookup: MedicationLookup
            switch administration.medication {
            case .codeableConcept(let concept)?:
                lookup = identifier.lookup(codeableConcept: concept, reference: nil, from: other)
            case .reference(let reference)?:
                lookup = identifier.lookup(codeableConcept: nil, reference: reference, from: other)
            case nil: return false
            }
            if case .identified(let identity) = lookup { return identity.isIVIG }
            return false
        }
    }
}
