internal import FHIRCore
internal import FHIRJSON

/// One code of an expanded ValueSet.
public struct ValueSetConcept: Sendable, Hashable {
    /// The code system's canonical URL.
    public var system: String
    public var code: String
    public var display: String?

    public init(system: String, code: String, display: String? = nil) {
        self.system = system
        self.code = code
        self.display = display
    }
}

/// A ValueSet's codes, as computed offline from the loaded CodeSystems.
public struct ExpandedValueSet: Sendable {
    /// The ValueSet's canonical URL.
    public var url: String
    /// Its codes, in the order the definition gives them, each once.
    public private(set) var concepts: [ValueSetConcept]
    private var keys: Set<String>

    init(url: String, concepts: [ValueSetConcept]) {
        self.url = url
        var seen: Set<String> = []
        self.concepts = concepts.filter { seen.insert(Self.key($0.system, $0.code)).inserted }
        keys = seen
    }

    /// True when the ValueSet holds `code` from `system`.
    public func contains(system: String, code: String) -> Bool {
        keys.contains(Self.key(system, code))
    }

    /// True when the ValueSet holds `code` from any system (a `code` element carries no
    /// system: its binding's ValueSet supplies it).
    public func contains(code: String) -> Bool {
        concepts.contains { $0.code == code }
    }

    private static func key(_ system: String, _ code: String) -> String { system + "|" + code }
}

/// What expanding a ValueSet offline gives: its codes, or why it cannot be expanded without a
/// terminology server (never an empty success).
public enum ValueSetExpansion: Sendable {
    case expanded(ExpandedValueSet)
    /// The reason names the ValueSet and what stops it: an external code system (SNOMED CT,
    /// LOINC), a filter that needs one, a ValueSet or CodeSystem not loaded.
    case cannotExpand(reason: String)

    /// The codes, when it could be expanded.
    public var valueSet: ExpandedValueSet? {
        if case .expanded(let valueSet) = self { return valueSet }
        return nil
    }

    /// True when expanded and holding `code` from `system`; false when expanded without it;
    /// nil when it cannot be expanded (the caller reports that, not a guess).
    public func contains(system: String, code: String) -> Bool? {
        valueSet?.contains(system: system, code: code)
    }
}

extension FHIRDefinitions {
    /// The codes of the ValueSet with this canonical URL (`url` or `url|version`), expanded
    /// from the loaded CodeSystems: whole code systems with their concept hierarchies,
    /// explicit concepts, `is-a`, `descendent-of`, `is-not-a` and `=` filters, `exclude`, and
    /// imported ValueSets. Computed once per URL and kept.
    public func expansion(ofValueSet url: String) -> ValueSetExpansion {
        if let cached = lock.withLock({ expansions[url] }) { return cached }
        var expander = ValueSetExpander(definitions: self)
        let result: ValueSetExpansion
        do {
            result = .expanded(ExpandedValueSet(url: url, concepts: try expander.expand(url)))
        } catch {
            result = .cannotExpand(reason: error.reason)
        }
        lock.withLock { expansions[url] = result }
        return result
    }

    /// The CodeSystem with this canonical URL, parsed.
    func codeSystem(url: String) -> CodeSystemContent? {
        guard let index = index(of: url, as: .codeSystem), let json = json(at: index) else { return nil }
        return CodeSystemContent(json: json)
    }

    /// The ValueSet with this canonical URL, as JSON.
    func valueSetJSON(url: String) -> JSONTree? {
        index(of: url, as: .valueSet).flatMap { json(at: $0) }
    }
}

/// A CodeSystem's concepts, flattened, with their hierarchy and properties.
struct CodeSystemContent {
    struct Concept {
        var code: String
        var display: String?
        var children: [Int]
        /// Property code → value as text (`valueCode`, `valueString`, `valueBoolean`, …).
        var properties: [(code: String, value: String)]
    }

    var url: String
    /// `complete`, `example`, `fragment`, `not-present` or `supplement`.
    var content: String
    var concepts: [Concept] = []
    var roots: [Int] = []
    var byCode: [String: Int] = [:]

    init?(json: JSONTree) {
        guard let url = json["url"]?.stringValue else { return nil }
        self.url = url
        content = json["content"]?.stringValue ?? "complete"
        roots = (json["concept"]?.arrayValue ?? []).map { add($0) }
    }

    private mutating func add(_ json: JSONTree) -> Int {
        let index = concepts.count
        let code = json["code"]?.stringValue ?? ""
        let properties: [(code: String, value: String)] = (json["property"]?.arrayValue ?? []).compactMap { property in
            guard let code = property["code"]?.stringValue else { return nil }
            for (key, value) in property.objectMembers where key.hasPrefix("value") {
                switch value {
                case .string(let text): return (code, text)
                case .number(let lexeme): return (code, lexeme)
                case .bool(let flag): return (code, flag ? "true" : "false")
                default: return nil
                }
            }
            return nil
        }
        concepts.append(
            Concept(code: code, display: json["display"]?.stringValue, children: [], properties: properties))
        byCode[code] = byCode[code] ?? index
        let children = (json["concept"]?.arrayValue ?? []).map { add($0) }
        concepts[index].children = children
        return index
    }

    /// `code` and everything below it (`includeSelf: false`: only below).
    func descendants(of code: String, includeSelf: Bool) -> [Int] {
        guard let start = byCode[code] else { return [] }
        var result: [Int] = includeSelf ? [start] : []
        var pending = concepts[start].children
        var seen: Set<Int> = [start]
        while let next = pending.popLast() {
            guard seen.insert(next).inserted else { continue }
            result.append(next)
            pending.append(contentsOf: concepts[next].children)
        }
        return result
    }
}

/// Why a ValueSet cannot be expanded offline.
struct ExpansionFailure: Error {
    var reason: String
}

/// Expands one ValueSet (and those it imports), detecting import cycles.
struct ValueSetExpander {
    let definitions: FHIRDefinitions
    private var visiting: Set<String> = []

    init(definitions: FHIRDefinitions) {
        self.definitions = definitions
    }

    mutating func expand(_ url: String) throws(ExpansionFailure) -> [ValueSetConcept] {
        guard visiting.insert(url).inserted else {
            throw ExpansionFailure(reason: "ValueSet \(url) imports itself (through compose.include.valueSet)")
        }
        defer { visiting.remove(url) }
        guard let json = definitions.valueSetJSON(url: url) else {
            throw ExpansionFailure(reason: "ValueSet \(url) is not in the loaded packages")
        }
        if json["compose"] == nil, let contains = json["expansion"]?["contains"] {
            return Self.flatten(contains.arrayValue)
        }
        guard let compose = json["compose"] else {
            throw ExpansionFailure(reason: "ValueSet \(url) has neither compose nor expansion")
        }
        var included: [ValueSetConcept] = []
        for (number, part) in (compose["include"]?.arrayValue ?? []).enumerated() {
            included += try concepts(of: part, in: url, what: "include[\(number)]")
        }
        var excluded: Set<ValueSetConcept> = []
        for (number, part) in (compose["exclude"]?.arrayValue ?? []).enumerated() {
            for concept in try concepts(of: part, in: url, what: "exclude[\(number)]") {
                excluded.insert(ValueSetConcept(system: concept.system, code: concept.code))
            }
        }
        return included.filter { !excluded.contains(ValueSetConcept(system: $0.system, code: $0.code)) }
    }

    /// The codes one `include` or `exclude` selects.
    private mutating func concepts(of part: JSONTree, in url: String, what: String) throws(ExpansionFailure)
        -> [ValueSetConcept]
    {
        // R4: several value sets in one include are a union; with a system as well, only the
        // system's codes that are also in them.
        var imported: [ValueSetConcept]?
        for reference in (part["valueSet"]?.arrayValue ?? []).compactMap(\.stringValue) {
            imported = (imported ?? []) + (try expand(reference))
        }
        var selected: [ValueSetConcept]?
        if let system = part["system"]?.stringValue {
            selected = try systemConcepts(system, part: part, in: url, what: what)
        }
        if let imported {
            if let current = selected {
                let keys = Set(imported.map { ValueSetConcept(system: $0.system, code: $0.code) })
                selected = current.filter { keys.contains(ValueSetConcept(system: $0.system, code: $0.code)) }
            } else {
                selected = imported
            }
        }
        return selected ?? []
    }

    private func systemConcepts(_ system: String, part: JSONTree, in url: String, what: String)
        throws(ExpansionFailure) -> [ValueSetConcept]
    {
        let listed = part["concept"]?.arrayValue ?? []
        let filters = part["filter"]?.arrayValue ?? []
        let codeSystem = definitions.codeSystem(url: system)
        if !listed.isEmpty && filters.isEmpty {
            // Listed codes need no CodeSystem; where it is loaded, its displays fill gaps.
            return listed.compactMap { concept in
                guard let code = concept["code"]?.stringValue else { return nil }
                let display =
                    concept["display"]?.stringValue
                    ?? codeSystem.flatMap { system in system.byCode[code].map { system.concepts[$0].display } } ?? nil
                return ValueSetConcept(system: system, code: code, display: display)
            }
        }
        guard let codeSystem else {
            throw ExpansionFailure(
                reason: "ValueSet \(url): \(what) takes codes from \(system), a code system not in the loaded "
                    + "packages (it needs a terminology server)")
        }
        guard codeSystem.content == "complete" else {
            throw ExpansionFailure(
                reason: "ValueSet \(url): \(what) takes codes from \(system), whose CodeSystem content is "
                    + "'\(codeSystem.content)', not complete")
        }
        var indices = Array(codeSystem.concepts.indices)
        for filter in filters {
            let property = filter["property"]?.stringValue ?? ""
            let op = filter["op"]?.stringValue ?? ""
            let value = filter["value"]?.stringValue ?? ""
            let chosen: Set<Int>
            switch (property, op) {
            case ("concept", "is-a"): chosen = Set(codeSystem.descendants(of: value, includeSelf: true))
            case ("concept", "descendent-of"): chosen = Set(codeSystem.descendants(of: value, includeSelf: false))
            case ("concept", "is-not-a"):
                chosen = Set(codeSystem.concepts.indices).subtracting(
                    codeSystem.descendants(of: value, includeSelf: true))
            case (_, "="):
                chosen = Set(
                    codeSystem.concepts.indices.filter { index in
                        codeSystem.concepts[index].properties.contains { $0.code == property && $0.value == value }
                    })
            default:
                throw ExpansionFailure(
                    reason: "ValueSet \(url): \(what) filters \(system) by '\(property) \(op) \(value)', which "
                        + "cannot be evaluated offline")
            }
            indices = indices.filter(chosen.contains)
        }
        return indices.map {
            ValueSetConcept(
                system: system, code: codeSystem.concepts[$0].code, display: codeSystem.concepts[$0].display)
        }
    }

    private static func flatten(_ contains: [JSONTree]) -> [ValueSetConcept] {
        var result: [ValueSetConcept] = []
        for entry in contains {
            if let system = entry["system"]?.stringValue, let code = entry["code"]?.stringValue {
                result.append(ValueSetConcept(system: system, code: code, display: entry["display"]?.stringValue))
            }
            result += flatten(entry["contains"]?.arrayValue ?? [])
        }
        return result
    }
}
