import FHIRElementModel
import FHIRPackages
import FHIRValidation

/// A Bundle's entries by `fullUrl`, and by type and id, to resolve references inside it as
/// the specification's rules for resolving references in Bundles say.
struct BundleIndex {
    private var byFullURL: [String: FHIRElement] = [:]
    private var byTypeAndID: [String: FHIRElement] = [:]

    init(_ bundle: FHIRElement) {
        for entry in bundle.children(named: "entry") {
            guard let resource = entry.child(named: "resource") else { continue }
            if let fullURL = entry.child(named: "fullUrl")?.value { byFullURL[fullURL] = resource }
            if let id = resource.child(named: "id")?.value {
                byTypeAndID[resource.typeName + "/" + id] = byTypeAndID[resource.typeName + "/" + id] ?? resource
            }
        }
    }

    /// The entry's resource a reference found in `source` (an element of an entry) names.
    func resolve(_ reference: String, from source: FHIRElement) -> FHIRElement? {
        if let found = byFullURL[reference] { return found }
        guard !reference.contains(":"), reference.split(separator: "/").count >= 2 else { return nil }
        let parts = reference.split(separator: "/")
        let typeAndID = parts[0] + "/" + parts[1]
        // Relative to the referring entry's RESTful fullUrl: its base plus the reference.
        if let fullURL = Self.entry(of: source)?.child(named: "fullUrl")?.value,
            let base = Self.serverBase(fullURL), let found = byFullURL[base + typeAndID]
        {
            return found
        }
        return byFullURL.first { $0.key.hasSuffix("/" + typeAndID) }?.value ?? byTypeAndID[String(typeAndID)]
    }

    /// The Bundle entry an element is in.
    static func entry(of element: FHIRElement) -> FHIRElement? {
        var node: FHIRElement? = element
        while let current = node {
            if current.name == "entry", current.parent?.typeName == "Bundle" { return current }
            node = current.parent
        }
        return nil
    }

    /// `http://server/fhir/` from `http://server/fhir/Patient/1` (or `…/_history/2`).
    static func serverBase(_ fullURL: String) -> String? {
        guard fullURL.hasPrefix("http://") || fullURL.hasPrefix("https://") else { return nil }
        var parts = fullURL.split(separator: "/", omittingEmptySubsequences: false)
        if parts.count >= 4, parts[parts.count - 2] == "_history" { parts.removeLast(2) }
        guard parts.count >= 5 else { return nil }
        return parts.dropLast(2).joined(separator: "/") + "/"
    }
}

extension ConformanceWalk {
    /// The rules of a Bundle that no invariant states: a RESTful `fullUrl` ends with the
    /// resource's type and id, and a link relation appears at most once.
    mutating func bundleRules(_ bundle: FHIRElement) {
        for entry in bundle.children(named: "entry") {
            guard let fullURL = entry.child(named: "fullUrl")?.value, let resource = entry.child(named: "resource"),
                let id = resource.child(named: "id")?.value, BundleIndex.serverBase(fullURL) != nil
            else { continue }
            var tail = fullURL
            if let history = tail.firstRange(of: "/_history/") { tail = String(tail[..<history.lowerBound]) }
            let expected = "/" + resource.typeName + "/" + id
            if !tail.hasSuffix(expected) {
                add(
                    .error, .invalid, "bundle-fullurl",
                    "the fullUrl '\(fullURL)' is a RESTful URL, so it must end with the resource's type and id "
                        + "(\(expected))", at: entry.child(named: "fullUrl") ?? entry)
            }
        }
        var relations: Set<String> = []
        for link in bundle.children(named: "link") {
            guard let relation = link.child(named: "relation")?.value else { continue }
            if !relations.insert(relation).inserted {
                add(
                    .error, .invalid, "bundle-link-relation",
                    "the link relation '\(relation)' appears more than once; each relation may appear once", at: link)
            }
        }
    }

    /// A Reference's target type: inside a Bundle, the resource it resolves to; otherwise the
    /// type its literal reference names (`Practitioner/5`). The element's definition lists the
    /// types allowed (`Reference(Practitioner | Organization)`).
    /// The segment of a literal reference that names the type: `Patient` in `Patient/1`,
    /// `http://a/fhir/Patient/1` and `Patient/1/_history/2`. Empty segments are skipped; nil when
    /// there is no segment before the id.
    static func namedType(_ reference: String) -> Substring? {
        // The last four non-empty segments, the last first: the type is the one before the id,
        // and the id is the one before `_history` when a version follows.
        var segments: [Substring] = []
        segments.reserveCapacity(4)
        let utf8 = reference.utf8
        var end = utf8.endIndex
        var index = end
        while index > utf8.startIndex && segments.count < 4 {
            let previous = utf8.index(before: index)
            if utf8[previous] == UInt8(ascii: "/") {
                if index != end { segments.append(reference[index..<end]) }
                end = previous
            }
            index = previous
        }
        if index == utf8.startIndex, index != end, segments.count < 4 { segments.append(reference[index..<end]) }
        if segments.count == 4, segments[1] == "_history" { return segments[3] }
        return segments.count >= 2 ? segments[1] : nil
    }

    mutating func reference(_ node: FHIRElement, rule: ElementRule) {
        guard let text = node.child(named: "reference")?.value, !text.hasPrefix("#") else { return }
        let allowed = rule.referenceTargetTypes
        if allowed.isEmpty || allowed.contains("Resource") { return }
        var targetType: String?
        var resolved = false
        if let bundle = bundles.last, let target = bundle.resolve(text, from: node) {
            targetType = target.typeName
            resolved = true
        } else if !text.hasPrefix("urn:"), let named = Self.namedType(text), let first = named.first,
            first.isUppercase, validator.definitions.definesType(String(named))
        {
            targetType = String(named)
        }
        guard let targetType else { return }
        if !allowed.contains(where: { validator.definitions.isType(targetType, derivedFrom: $0) }) {
            let how = resolved ? "resolves in the Bundle to a \(targetType)" : "names a \(targetType)"
            add(
                .error, .structure, "struct-reference-target",
                "\(rule.definition.path): the reference '\(text)' \(how), but only "
                    + allowed.joined(separator: ", ") + " may be referred to here",
                at: node.child(named: "reference") ?? node)
        }
    }
}
