import FHIRCore

/// The parts of a literal `Reference.reference`, after checking its form.
///
/// Accepted forms (FHIR R4 §2.3.0 "Literal references"): a local `#id` (or `#` for the
/// container itself), a relative `Type/id` with an optional `/_history/version`, an absolute URL
/// (`https://server/fhir/Patient/123`, or any other absolute URI), `urn:uuid:` with a UUID, and
/// `urn:oid:` with an OID.
enum ReferenceForm: Hashable {
    /// `#id`; an empty id is `#`, the containing resource.
    case local(String)
    /// `Type/id[/_history/version]`.
    case relative(type: String, id: String)
    /// An absolute URI; `type` and `id` when it ends with `Type/id` (a RESTful FHIR URL).
    case absolute(type: String?, id: String?)
    /// `urn:uuid:…` or `urn:oid:…`, resolved only inside a Bundle.
    case urn(String)

    /// The resource type the reference names in its text, if any.
    var namedType: String? {
        switch self {
        case .relative(let type, _): return type
        case .absolute(let type, _): return type
        default: return nil
        }
    }

    /// Every R4 resource type name (from the `resource-types` code system).
    static let resourceTypes: Set<String> =
        FHIRDefinitions.requiredValueSets["http://hl7.org/fhir/ValueSet/all-types"]?[
            "http://hl7.org/fhir/resource-types"] ?? []

    /// Parses `text`, or says why it is not a well-formed reference.
    static func parse(_ text: String) -> Result<ReferenceForm, ReferenceProblem> {
        if text.utf8.contains(where: PrimitiveFormats.isWhitespace) {
            return .failure(ReferenceProblem("a reference has no whitespace"))
        }
        if text.hasPrefix("#") {
            let id = String(text.dropFirst())
            guard id.isEmpty || PrimitiveFormats.problem(id, type: "id") == nil else {
                return .failure(ReferenceProblem("'\(id)' after '#' is not a valid resource id"))
            }
            return .success(.local(id))
        }
        if text.hasPrefix("urn:uuid:") {
            return PrimitiveFormats.isUUID(text)
                ? .success(.urn(text))
                : .failure(ReferenceProblem("expected urn:uuid: and a lowercase UUID (8-4-4-4-12 hex digits)"))
        }
        if text.hasPrefix("urn:oid:") {
            return PrimitiveFormats.isOID(text)
                ? .success(.urn(text)) : .failure(ReferenceProblem("expected urn:oid: and dotted numbers"))
        }
        if hasScheme(text) {
            let (type, id) = trailingTypeAndID(text)
            return .success(.absolute(type: type, id: id))
        }
        let parts = text.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 2 || (parts.count == 4 && parts[2] == "_history") else {
            return .failure(
                ReferenceProblem("expected Type/id (such as Patient/123), #id, urn:uuid: or an absolute URL"))
        }
        guard resourceTypes.contains(parts[0]) else {
            return .failure(ReferenceProblem("'\(parts[0])' is not an R4 resource type"))
        }
        guard PrimitiveFormats.problem(parts[1], type: "id") == nil else {
            return .failure(
                ReferenceProblem("'\(parts[1])' is not a valid resource id (1–64 letters, digits, '-', '.')"))
        }
        if parts.count == 4, PrimitiveFormats.problem(parts[3], type: "id") != nil {
            return .failure(ReferenceProblem("'\(parts[3])' is not a valid version id"))
        }
        return .success(.relative(type: parts[0], id: parts[1]))
    }

    /// `scheme:` at the start (RFC 3986: a letter, then letters, digits, `+`, `-`, `.`).
    private static func hasScheme(_ text: String) -> Bool {
        guard let colon = text.firstIndex(of: ":"), colon != text.startIndex else { return false }
        let scheme = text[..<colon]
        return scheme.first!.isLetter
            && scheme.utf8.allSatisfy { PrimitiveFormats.isAlphanumeric($0) || "+-.".utf8.contains($0) }
    }

    /// `…/Type/id` or `…/Type/id/_history/v` at the end of an absolute URL.
    private static func trailingTypeAndID(_ url: String) -> (String?, String?) {
        var parts = url.split(separator: "/").map(String.init)
        if parts.count >= 4, parts[parts.count - 2] == "_history" { parts.removeLast(2) }
        guard parts.count >= 2, resourceTypes.contains(parts[parts.count - 2]) else { return (nil, nil) }
        return (parts[parts.count - 2], parts[parts.count - 1])
    }
}

/// Why a reference is malformed.
struct ReferenceProblem: Error, Hashable {
    let reason: String
    init(_ reason: String) { self.reason = reason }
}
