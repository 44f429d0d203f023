import FHIRCore
import FHIRJSON
import UCUM

/// Whether a code is in a ValueSet, answered from the loaded packages alone: there is no
/// terminology server. A ValueSet is expanded from its `compose` over the packages'
/// CodeSystems (whole systems, listed concepts, `is-a`/`descendent-of` filters inside a local
/// hierarchy, imported ValueSets, exclusions) or taken from its `expansion`; UCUM codes are
/// checked by the UCUM module. Anything else (SNOMED CT, LOINC, a filter on a system the
/// packages do not hold) cannot be answered offline, and says why.
final class LocalTerminology: @unchecked Sendable {
    /// A membership question's answer.
    enum Answer: Equatable {
        case member
        case notMember
        /// The ValueSet cannot be expanded offline; the reason names what is missing.
        case unknown(String)
    }

    /// A ValueSet as far as it could be expanded: codes by system, and what stopped it.
    private struct Expansion {
        /// system → codes; a system mapped to nil includes every code of that system.
        var codes: [String: Set<String>] = [:]
        /// Systems included whole that are checked by a rule rather than a list (UCUM).
        var ucum = false
        /// Why the expansion is incomplete, if it is.
        var unknownBecause: String?
    }

    /// Finds a ValueSet or CodeSystem's FHIR JSON by canonical URL (`url` or `url|version`).
    private let valueSet: @Sendable (String) -> JSONTree?
    private let codeSystem: @Sendable (String) -> JSONTree?
    private let lock = Lock()
    private var expansions: [String: Expansion] = [:]

    init(valueSet: @escaping @Sendable (String) -> JSONTree?, codeSystem: @escaping @Sendable (String) -> JSONTree?) {
        self.valueSet = valueSet
        self.codeSystem = codeSystem
    }

    /// Whether `code` (of `system`, when known) is in the ValueSet `url`.
    func contains(system: String?, code: String, in url: String) -> Answer {
        let expansion = expand(url)
        if let system {
            if expansion.ucum, system == UCUMQuantityCheck.ucumSystem {
                return UCUM.validate(code) == nil ? .member : .notMember
            }
            if let codes = expansion.codes[system], codes.contains(code) { return .member }
        } else if expansion.codes.values.contains(where: { $0.contains(code) }) {
            return .member
        }
        if let reason = expansion.unknownBecause { return .unknown(reason) }
        return .notMember
    }

    private func expand(_ url: String) -> Expansion {
        if let cached = lock.withLock({ expansions[url] }) { return cached }
        var visiting: Set<String> = []
        let expansion = expandUncached(url, visiting: &visiting)
        lock.withLock { expansions[url] = expansion }
        return expansion
    }

    private func expandUncached(_ url: String, visiting: inout Set<String>) -> Expansion {
        guard visiting.insert(url).inserted else { return Expansion() }
        guard let json = valueSet(url) else {
            return Expansion(unknownBecause: "the ValueSet \(url) is not in the loaded packages")
        }
        var result = Expansion()
        if let compose = json["compose"] {
            for include in compose["include"]?.arrayItems ?? [] {
                merge(include: include, into: &result, visiting: &visiting)
            }
            for exclude in compose["exclude"]?.arrayItems ?? [] {
                var removed = Expansion()
                merge(include: exclude, into: &removed, visiting: &visiting)
                for (system, codes) in removed.codes { result.codes[system]?.subtract(codes) }
            }
        } else if let contains = json["expansion"]?["contains"]?.arrayItems {
            collect(contains, into: &result)
        } else {
            result.unknownBecause = "the ValueSet \(url) has neither a compose nor an expansion"
        }
        return result
    }

    private func collect(_ contains: [JSONTree], into result: inout Expansion) {
        for item in contains {
            if let system = item["system"]?.stringValue, let code = item["code"]?.stringValue {
                result.codes[system, default: []].insert(code)
            }
            collect(item["contains"]?.arrayItems ?? [], into: &result)
        }
    }

    private func merge(include: JSONTree, into result: inout Expansion, visiting: inout Set<String>) {
        var part: Expansion?
        if let system = include["system"]?.stringValue {
            part = systemPart(system, include: include)
        }
        for imported in include["valueSet"]?.arrayItems.compactMap(\.stringValue) ?? [] {
            let other = expandUncached(imported, visiting: &visiting)
            // Several ValueSets (and a system) in one include intersect; rare enough to take the union
            // of what is known and mark it unknown so no code is refused on it.
            if var combined = part {
                combined.unknownBecause = combined.unknownBecause ?? "an include combines several ValueSets"
                part = combined
            } else {
                part = other
            }
        }
        guard let part else { return }
        for (system, codes) in part.codes { result.codes[system, default: []].formUnion(codes) }
        result.ucum = result.ucum || part.ucum
        if result.unknownBecause == nil { result.unknownBecause = part.unknownBecause }
    }

    private func systemPart(_ system: String, include: JSONTree) -> Expansion {
        var part = Expansion()
        let concepts = include["concept"]?.arrayItems ?? []
        let filters = include["filter"]?.arrayItems ?? []
        if !concepts.isEmpty {
            part.codes[system] = Set(concepts.compactMap { $0["code"]?.stringValue })
            return part
        }
        if system == UCUMQuantityCheck.ucumSystem && filters.isEmpty {
            part.ucum = true
            return part
        }
        guard let codeSystem = codeSystem(system), codeSystem["content"]?.stringValue ?? "complete" == "complete"
        else {
            part.codes[system] = []
            part.unknownBecause = "the code system \(system) is not in the loaded packages (no terminology server is used)"
            return part
        }
        let hierarchy = Hierarchy(codeSystem["concept"]?.arrayItems ?? [])
        var codes = hierarchy.all
        for filter in filters {
            let property = filter["property"]?.stringValue, op = filter["op"]?.stringValue
            guard let value = filter["value"]?.stringValue, property == "concept",
                op == "is-a" || op == "descendent-of" || op == "is-not-a"
            else {
                part.codes[system] = []
                part.unknownBecause = "a filter of the ValueSet on \(system) cannot be evaluated offline"
                return part
            }
            let below = hierarchy.descendants(of: value)
            switch op {
            case "is-a": codes.formIntersection(below.union([value]))
            case "descendent-of": codes.formIntersection(below)
            default: codes.subtract(below.union([value]))
            }
        }
        part.codes[system] = codes
        return part
    }

    /// A CodeSystem's concepts with their nesting (`concept.concept`).
    private struct Hierarchy {
        var all: Set<String> = []
        var children: [String: [String]] = [:]

        init(_ concepts: [JSONTree]) { add(concepts, parent: nil) }

        private mutating func add(_ concepts: [JSONTree], parent: String?) {
            for concept in concepts {
                guard let code = concept["code"]?.stringValue else { continue }
                all.insert(code)
                if let parent { children[parent, default: []].append(code) }
                add(concept["concept"]?.arrayItems ?? [], parent: code)
            }
        }

        func descendants(of code: String) -> Set<String> {
            var result: Set<String> = []
            var queue = children[code] ?? []
            while let next = queue.popLast() {
                if result.insert(next).inserted { queue += children[next] ?? [] }
            }
            return result
        }
    }
}

extension JSONTree {
    /// The member `key` of an object; nil otherwise.
    subscript(key: String) -> JSONTree? {
        if case .object(let members) = self { return members[key] }
        return nil
    }

    /// The items of an array; empty otherwise.
    var arrayItems: [JSONTree] {
        if case .array(let items) = self { return items }
        return []
    }

    /// The text of a string.
    var stringValue: String? {
        if case .string(let text) = self { return text }
        return nil
    }
}
