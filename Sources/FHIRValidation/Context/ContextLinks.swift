public import FHIRCore

/// What one record shares with other records in a ``ValidationContext``: the keys others reach
/// its resources by, and the references the dosing rules follow from it. Streaming validation
/// (`FHIRValidationIO`) groups records by these links, so that each record is validated in a
/// context holding every record the rules can look up from it, and findings are the same as in
/// one context of the whole input.
///
/// The rules look records up in three ways (see ``ValidationContext``): by resolving a reference,
/// by the patient a resource is about (`subject`), and by the order an administration names
/// (`request`). The references that tie a patient's resources to each other are
/// ``patientLinks``; records sharing any of them, or named by them, form one group. The other
/// references the rules resolve (a Medication, usually one per formulary product shared by
/// every patient) are ``lookups``: the records they name join a group's context without merging
/// the groups. When a rule starts to follow another reference, it must be added here; the
/// equivalence test of streaming against whole-context validation finds the omission.
public struct ContextLinks: Sendable, Equatable {
    /// The keys other resources may refer to this record's resources by (fullUrl, `Type/id`,
    /// `urn:uuid:id`), as the context indexes them.
    public var keys: [String] = []
    /// References between a patient's resources (subject, the order an administration names,
    /// indications, stated weights, the administration a reaction follows), each as written and
    /// as `Type/id`.
    public var patientLinks: [String] = []
    /// Other references the rules resolve (medications), as written and as `Type/id`.
    public var lookups: [String] = []

    /// The links of a record (a resource, or a Bundle with its entries), with its contained resources.
    public init(record resource: AnyResource) {
        for entry in ValidationContext.entries(of: resource) {
            if entry.container == nil { keys += entry.keys }
            add(ValidationContext.subjectReference(of: entry.resource), to: \.patientLinks)
            switch entry.resource {
            case .medicationRequest(let order):
                order.reasonReference.forEach { add($0, to: \.patientLinks) }
                order.supportingInformation.forEach { add($0, to: \.patientLinks) }
                if case .reference(let medication)? = order.medication { add(medication, to: \.lookups) }
            case .medicationAdministration(let administration):
                add(administration.request, to: \.patientLinks)
                if case .reference(let medication)? = administration.medication { add(medication, to: \.lookups) }
            case .adverseEvent(let event):
                event.suspectEntity.forEach { add($0.instance, to: \.patientLinks) }
            default:
                break
            }
        }
    }

    /// A reference as written and as `Type/id` (the context resolves either); a local `#id`
    /// stays inside its record and links nothing.
    private mutating func add(_ reference: Reference?, to list: WritableKeyPath<ContextLinks, [String]>) {
        guard let text = reference?.reference?.value, !text.hasPrefix("#") else { return }
        self[keyPath: list].append(text)
        if let typeAndID = ValidationContext.typeAndID(text), typeAndID != text {
            self[keyPath: list].append(typeAndID)
        }
    }
}
