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
/// the groups. When a rule starts to follow another reference, it must be added here, in both
/// readings: ``init(record:)`` (typed models) and ``followedReferences`` (JSON, for
/// ``init(json:)``). The equivalence test of streaming against whole-context validation finds
/// an omission in the first, and a test comparing the two readings one in the second.
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
        add(reference?.reference?.value, to: list)
    }

    private mutating func add(_ text: String?, to list: WritableKeyPath<ContextLinks, [String]>) {
        guard let text, !text.hasPrefix("#") else { return }
        self[keyPath: list].append(text)
        // Most references are `Type/id` or `urn:uuid:` as written, which have no other form:
        // known without parsing them (``ValidationContext/typeAndID(_:)`` gives back the text, or nil).
        if text.hasPrefix("urn:uuid:") || text.hasPrefix("urn:oid:") { return }
        if !text.utf8.contains(UInt8(ascii: ":")), text.utf8.lazy.filter({ $0 == UInt8(ascii: "/") }).count == 1 {
            return
        }
        if let typeAndID = ValidationContext.typeAndID(text), typeAndID != text {
            self[keyPath: list].append(typeAndID)
        }
    }

    // MARK: From a record's JSON

    /// The links of a record read from its JSON, without decoding it: the same references as
    /// ``init(record:)`` follows (``followedReferences``; a test holds the two to the same
    /// links), and the keys of its resources of any type. A record the typed models cannot
    /// read (another resource type, an invalid one) has links here and none there: more links
    /// only put more records in a context, which changes no finding.
    public init<Record: ContextLinkSource>(json record: Record) {
        index(record, fullUrl: nil, isContained: false)
    }

    /// The links of an entry of a Bundle read entry by entry (`{"fullUrl": …, "resource": …}`).
    public init<Record: ContextLinkSource>(bundleEntry entry: Record) {
        for resource in entry.values("resource") {
            index(resource, fullUrl: entry.string("fullUrl"), isContained: false)
        }
    }

    /// The references the dosing rules follow, by resource type: member paths in JSON names,
    /// each to a patient link or a lookup. ``init(record:)`` follows the same in the typed models.
    public static let followedReferences: [String: [(path: [String], isLookup: Bool)]] = [
        "MedicationRequest": [
            (["subject"], false), (["reasonReference"], false), (["supportingInformation"], false),
            (["medicationReference"], true),
        ],
        "MedicationAdministration": [(["subject"], false), (["request"], false), (["medicationReference"], true)],
        "Observation": [(["subject"], false)],
        "Condition": [(["subject"], false)],
        "AdverseEvent": [(["subject"], false), (["suspectEntity", "instance"], false)],
    ]

    private mutating func index<Record: ContextLinkSource>(_ resource: Record, fullUrl: String?, isContained: Bool) {
        guard let type = resource.string("resourceType") else { return }
        if !isContained {
            if let fullUrl { keys.append(fullUrl) }
            if let id = resource.string("id") {
                keys.append(type + "/" + id)
                if fullUrl == nil, ContextEntry.isUUID(id) { keys.append("urn:uuid:" + id) }
            }
        }
        for (path, isLookup) in Self.followedReferences[type] ?? [] {
            var targets = [resource]
            for name in path { targets = targets.flatMap { $0.values(name) } }
            for target in targets { add(target.member("reference")?.string, to: isLookup ? \.lookups : \.patientLinks) }
        }
        switch type {
        case "Bundle":
            for entry in resource.values("entry") {
                for inner in entry.values("resource") {
                    index(inner, fullUrl: entry.string("fullUrl"), isContained: false)
                }
            }
        case "Parameters":
            break  // what a Parameters carries is not indexed (as in ``ValidationContext``)
        default:
            for inner in resource.values("contained") { index(inner, fullUrl: nil, isContained: true) }
        }
    }
}

/// A record's JSON as ``ContextLinks/init(json:)`` reads it: objects by member name, values as
/// text. `FHIRJSON`'s `JSONRecordView` is one.
public protocol ContextLinkSource {
    /// The value of member `name` of an object; nil when absent or not an object.
    func member(_ name: String) -> Self?
    /// The values of member `name`: the items of an array, or the one value.
    func values(_ name: String) -> [Self]
    /// The text of a string value; nil for any other value.
    var string: String? { get }
}

extension ContextLinkSource {
    /// The text of member `name`, when it is a string.
    func string(_ name: String) -> String? { member(name)?.string }
}
