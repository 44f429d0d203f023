import FHIRCore

/// A short generated narrative for every sample resource that has none, so the samples pass
/// `dom-6` (a resource should have narrative), which validation reports as a warning. It is
/// written from what the resource holds and draws nothing from the random source, so the rest of
/// a seed's records stay as they were. Contained resources get none: they do not have narrative.
enum SampleNarrative {
    static func narrated(_ resource: AnyResource) -> AnyResource {
        switch resource {
        case .patient(var patient) where patient.text == nil:
            let name = patient.name.first.map { name in
                ([name.family?.value] + name.given.map(\.value)).compactMap { $0 }.joined(separator: ", ")
            }
            patient.text = narrative(
                "Patient \(name ?? "without a name")"
                    + (patient.gender?.value.map { " (\($0))" } ?? "")
                    + (patient.birthDate?.value.map { ", born \($0.text)" } ?? ""))
            return .patient(patient)
        case .condition(var condition) where condition.text == nil:
            condition.text = narrative("Diagnosis: \(label(condition.code) ?? "unknown")")
            return .condition(condition)
        case .observation(var observation) where observation.text == nil:
            var line = label(observation.code) ?? "Observation"
            if case .quantity(let quantity)? = observation.value, let value = quantity.value?.value {
                line += ": \(value.text)" + (quantity.unit?.value.map { " \($0)" } ?? "")
            }
            if case .dateTime(let time)? = observation.effective, let value = time.value {
                line += " on \(value.text)"
            }
            observation.text = narrative(line)
            return .observation(observation)
        case .medication(var medication) where medication.text == nil:
            medication.text = narrative("Product: \(label(medication.code) ?? "unknown")")
            return .medication(medication)
        case .medicationRequest(var order) where order.text == nil:
            order.text = narrative("IVIG order (\(order.status?.value ?? "no status"))")
            return .medicationRequest(order)
        case .medicationAdministration(var administration) where administration.text == nil:
            var line = "IVIG infusion (\(administration.status?.value ?? "no status"))"
            if let dose = administration.dosage?.text?.value { line += ": \(dose)" }
            administration.text = narrative(line)
            return .medicationAdministration(administration)
        case .adverseEvent(var event) where event.text == nil:
            event.text = narrative(
                "Reaction: \(label(event.event) ?? "unknown")" + (event.date?.value.map { " on \($0.text)" } ?? ""))
            return .adverseEvent(event)
        default:
            return resource
        }
    }

    /// A concept's text, else its first coding's display.
    private static func label(_ concept: CodeableConcept?) -> String? {
        concept?.text?.value ?? concept?.coding.lazy.compactMap { $0.display?.value }.first
    }

    private static func narrative(_ line: String) -> Narrative {
        Build.narrative([Build.xhtmlText(line)])
    }
}
