public import FHIRCore

/// Resources given together, so that an order, the patient's weight and the administrations
/// are checked against each other: a Bundle, the lines of an NDJSON file, several files.
///
/// Every record is indexed with the resources inside it (Bundle entries, contained resources)
/// by `fullUrl`, by `Type/id` and by the patient they are about; references between them are
/// resolved the way FHIR resolves them (`#id` in the container, `urn:uuid:` by `fullUrl`,
/// `Patient/123`, or an absolute URL ending in `Patient/123`). A resource outside a Bundle whose
/// id is a UUID is also what `urn:uuid:<id>` names: NDJSON has no `fullUrl`, and LocalRecords
/// writes each record with the UUID of its `fullUrl` as its id, so its references hold between
/// separate files too.
///
/// - Note: For a batch too large to hold at once, build one context per chunk (or per record:
///   a Bundle is a context of its own); what a chunk lacks is reported as missing context.
public struct ValidationContext: Sendable {
    /// The records, in the order given; a finding names its record by index.
    public let records: [AnyResource]
    let entries: [ContextEntry]
    /// The entries of each record: a record's resources are indexed one after the other.
    private let recordRanges: [Swift.Range<Int>]
    private let byKey: [String: [Int]]
    private let bySubject: [String: [Int]]
    /// Order entry → the MedicationAdministrations whose `request` resolves to it.
    private let byOrder: [Int: [Int]]

    /// Indexes the records.
    public init(records: [AnyResource]) {
        self.records = records
        var entries: [ContextEntry] = []
        var recordRanges: [Swift.Range<Int>] = []
        for (record, resource) in records.enumerated() {
            let first = entries.count
            Self.indexResource(
                resource, record: record, path: FHIRPathBuilder(root: resource.resourceType), fullUrl: nil,
                container: nil, into: &entries)
            recordRanges.append(first..<entries.count)
        }
        self.recordRanges = recordRanges
        var byKey: [String: [Int]] = [:]
        for (index, entry) in entries.enumerated() where entry.container == nil {
            for key in entry.keys { byKey[key, default: []].append(index) }
        }
        self.entries = entries
        self.byKey = byKey
        var bySubject: [String: [Int]] = [:]
        for index in entries.indices {
            if let subject = Self.subjectReference(of: entries[index].resource),
                let key = Self.identity(of: subject, from: index, entries: entries, byKey: byKey)
            {
                bySubject[key, default: []].append(index)
            }
        }
        self.bySubject = bySubject
        var byOrder: [Int: [Int]] = [:]
        for index in entries.indices {
            if case .medicationAdministration(let administration) = entries[index].resource,
                let text = administration.request?.reference?.value,
                let order = Self.resolve(text, from: index, entries: entries, byKey: byKey)
            {
                byOrder[order, default: []].append(index)
            }
        }
        self.byOrder = byOrder
    }

    /// The entries of one record, its contained resources and Bundle entries among them, as a
    /// context holds them, without the context's indexes (the record's links need only these).
    static func entries(of resource: AnyResource) -> [ContextEntry] {
        var entries: [ContextEntry] = []
        indexResource(
            resource, record: 0, path: FHIRPathBuilder(root: resource.resourceType), fullUrl: nil, container: nil,
            into: &entries)
        return entries
    }

    private static func indexResource(
        _ resource: AnyResource, record: Int, path: FHIRPathBuilder, fullUrl: String?, container: Int?,
        into entries: inout [ContextEntry]
    ) {
        let position = entries.count
        entries.append(
            ContextEntry(resource: resource, record: record, path: path, fullUrl: fullUrl, container: container))
        if case .bundle(let bundle) = resource {
            for (index, entry) in bundle.entry.enumerated() {
                guard let inner = entry.resource else { continue }
                var entryPath = path
                entryPath.append(element: "entry")
                entryPath.append(index: index)
                entryPath.append(element: "resource")
                entryPath.append(resourceType: inner.resourceType)
                indexResource(
                    inner, record: record, path: entryPath, fullUrl: entry.fullUrl?.value, container: nil,
                    into: &entries)
            }
        }
        for (index, inner) in containedResources(of: resource).enumerated() {
            var innerPath = path
            innerPath.append(element: "contained")
            innerPath.append(index: index)
            innerPath.append(resourceType: inner.resourceType)
            let at = entries.count
            indexResource(inner, record: record, path: innerPath, fullUrl: nil, container: position, into: &entries)
            if let id = inner.resourceID { entries[position].contained[id] = at }
        }
    }

    // MARK: Lookups

    /// The entries of one record (the record itself, its Bundle entries, its contained resources).
    func entries(ofRecord record: Int) -> Swift.Range<Int> { recordRanges[record] }

    /// The entry a reference made from entry `from` points to, if it is in the context.
    func resolve(_ reference: Reference?, from: Int) -> Int? {
        guard let text = reference?.reference?.value else { return nil }
        return Self.resolve(text, from: from, entries: entries, byKey: byKey)
    }

    /// A key that is the same for every reference to the same resource (its `Type/id`, its
    /// fullUrl, or the reference text when it is not in the context).
    func identity(of reference: Reference?, from: Int) -> String? {
        guard let reference else { return nil }
        return Self.identity(of: reference, from: from, entries: entries, byKey: byKey)
    }

    /// The entries whose subject is the resource `identity` names.
    func entries(aboutSubject identity: String) -> [Int] { bySubject[identity] ?? [] }

    /// The MedicationAdministrations whose `request` names the order at entry `order`.
    func administrations(ofOrder order: Int) -> [Int] { byOrder[order] ?? [] }

    private static func resolve(_ text: String, from: Int, entries: [ContextEntry], byKey: [String: [Int]]) -> Int? {
        if text.hasPrefix("#") {
            let container = entries[from].container ?? from
            let id = String(text.dropFirst())
            return id.isEmpty ? container : entries[container].contained[id]
        }
        var candidates = byKey[text] ?? []
        if candidates.isEmpty, let typeAndID = typeAndID(text) { candidates = byKey[typeAndID] ?? [] }
        // Prefer the referring record's own copy of a resource.
        return candidates.first { entries[$0].record == entries[from].record } ?? candidates.first
    }

    private static func identity(of reference: Reference, from: Int, entries: [ContextEntry], byKey: [String: [Int]])
        -> String?
    {
        guard let text = reference.reference?.value else { return nil }
        if let target = resolve(text, from: from, entries: entries, byKey: byKey) {
            return entries[target].identity(index: target)
        }
        return typeAndID(text) ?? text
    }

    /// `Type/id` from `Type/id`, `Type/id/_history/v`, or an absolute URL ending in them.
    static func typeAndID(_ text: String) -> String? {
        switch ReferenceForm.parse(text) {
        case .success(.relative(let type, let id)), .success(.absolute(let type?, let id?)): return type + "/" + id
        default: return nil
        }
    }

    static func subjectReference(of resource: AnyResource) -> Reference? {
        switch resource {
        case .medicationRequest(let order): return order.subject
        case .medicationAdministration(let administration): return administration.subject
        case .observation(let observation): return observation.subject
        case .adverseEvent(let event): return event.subject
        case .condition(let condition): return condition.subject
        default: return nil
        }
    }

    static func containedResources(of resource: AnyResource) -> [AnyResource] {
        switch resource {
        case .adverseEvent(let r): return r.contained
        case .conceptMap(let r): return r.contained
        case .condition(let r): return r.contained
        case .medication(let r): return r.contained
        case .medicationAdministration(let r): return r.contained
        case .medicationRequest(let r): return r.contained
        case .observation(let r): return r.contained
        case .operationOutcome(let r): return r.contained
        case .organization(let r): return r.contained
        case .patient(let r): return r.contained
        case .practitioner(let r): return r.contained
        case .provenance(let r): return r.contained
        case .substance(let r): return r.contained
        case .bundle, .parameters: return []
        }
    }
}

/// One resource of a context, where it came from, and how to name it.
struct ContextEntry: Sendable {
    let resource: AnyResource
    /// The record (file, NDJSON line, batch item) it belongs to.
    let record: Int
    /// Its FHIRPath inside its record: `Bundle.entry[2].resource.ofType(Observation)`.
    let path: FHIRPathBuilder
    let fullUrl: String?
    /// The entry of the resource that contains it, for contained resources.
    let container: Int?
    /// Contained id → entry, for containers.
    var contained: [String: Int] = [:]

    /// The keys other resources may use to refer to it.
    var keys: [String] {
        var keys: [String] = []
        if let fullUrl { keys.append(fullUrl) }
        if let id = resource.resourceID {
            keys.append(resource.resourceType + "/" + id)
            // Without a fullUrl (NDJSON, a file of its own), a UUID id is its urn:uuid.
            if fullUrl == nil, Self.isUUID(id) { keys.append("urn:uuid:" + id) }
        }
        return keys
    }

    /// `8-4-4-4-12` hexadecimal digits, the form of a `urn:uuid:`.
    static func isUUID(_ text: String) -> Bool {
        PrimitiveFormats.isUUIDDigits(text.utf8, lowercaseOnly: false)
    }

    func identity(index: Int) -> String {
        if let id = resource.resourceID, container == nil { return resource.resourceType + "/" + id }
        return fullUrl ?? "entry:\(index)"
    }

    /// The FHIRPath of an element inside this resource: `path` + `.dosageInstruction[0]…`.
    func path(_ suffix: String) -> String {
        suffix.isEmpty ? path.expression : path.expression + "." + suffix
    }
}

extension AnyResource {
    /// The resource's `id`, if it has one.
    var resourceID: String? {
        switch self {
        case .adverseEvent(let r): return r.id?.value
        case .bundle(let r): return r.id?.value
        case .conceptMap(let r): return r.id?.value
        case .condition(let r): return r.id?.value
        case .medication(let r): return r.id?.value
        case .medicationAdministration(let r): return r.id?.value
        case .medicationRequest(let r): return r.id?.value
        case .observation(let r): return r.id?.value
        case .operationOutcome(let r): return r.id?.value
        case .organization(let r): return r.id?.value
        case .parameters(let r): return r.id?.value
        case .patient(let r): return r.id?.value
        case .practitioner(let r): return r.id?.value
        case .provenance(let r): return r.id?.value
        case .substance(let r): return r.id?.value
        }
    }
}
