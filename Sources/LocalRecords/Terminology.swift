internal import FHIRCore

/// A coding a local code maps to.
struct MappedCoding: Hashable, Sendable {
    let system: String
    let code: String
    let display: String?
}

/// Where a mapping came from, for error messages: the ConceptMap's canonical URL and its file.
struct ConceptMapSource: Hashable, Sendable, CustomStringConvertible {
    let url: String
    let file: String
    var description: String { "\(url) (\(file))" }
}

/// The groups of the loaded ConceptMaps, indexed for both directions.
///
/// Forward: a local code in a local code system → every target, in file order.
/// Reverse: a target system and code → the local codes that map to it, each ranked by its
/// equivalence (`equal` before `equivalent` before the looser ones), so a hospital with two
/// local codes for one FHIR code marks the one to come back as `equal` (or the other `wider`).
struct Terminology: Sendable {
    struct Target: Sendable {
        let code: String
        let display: String?
        /// 0 for equal, 1 for equivalent, 2 for the others (wider, narrower, inexact …).
        let rank: Int
    }

    struct Group: Sendable {
        let map: ConceptMapSource
        let source: String
        let target: String
        /// Local code → its targets (mappings marked unmatched or disjoint left out).
        let elements: [String: [Target]]
        /// Local codes in file order.
        let order: [String]
        /// Local codes the map lists as having no target (unmatched), with the map's comment.
        let unmatched: [String: String]
    }

    let groups: [Group]
    /// The groups by source system, each list in manifest order (looked up once per field).
    private let groupsBySource: [String: [Group]]

    init(groups: [Group]) {
        self.groups = groups
        groupsBySource = Dictionary(grouping: groups, by: \.source)
    }

    /// The groups that map from `source`, in the order the manifest lists their ConceptMaps.
    func groups(from source: String) -> [Group] {
        groupsBySource[source] ?? []
    }

    /// The ConceptMaps that have a group mapping from `source` (what an error says was searched).
    func maps(from source: String) -> [ConceptMapSource] {
        var seen: [ConceptMapSource] = []
        for group in groups(from: source) where !seen.contains(group.map) { seen.append(group.map) }
        return seen
    }

    /// Every coding `code` maps to, in map order, or an empty list.
    func translate(_ code: String, from source: String) -> [MappedCoding] {
        var codings: [MappedCoding] = []
        for group in groups(from: source) {
            for target in group.elements[code] ?? [] {
                let coding = MappedCoding(system: group.target, code: target.code, display: target.display)
                if !codings.contains(coding) { codings.append(coding) }
            }
        }
        return codings
    }

    /// What the maps say about a code they list as unmatched (`nil` when they do not list it).
    func unmatchedNote(_ code: String, from source: String) -> String? {
        for group in groups(from: source) {
            if let note = group.unmatched[code] { return note }
        }
        return nil
    }

    /// The outcome of mapping FHIR codings back to one local code.
    enum Reverse {
        case found(String)
        /// No coding is in a system the role's maps target, or none of their codes is mapped.
        case none
        /// More than one local code fits equally well, or the codings point to different ones.
        case ambiguous([String])
    }

    /// The one local code that the codings map back to.
    ///
    /// Each coding in a system the maps know gives a set of local codes; the answer is in every
    /// set. Several left: the one with the closest equivalences wins, if it alone is closest.
    func reverse(_ codings: [(system: String, code: String)], to source: String) -> Reverse {
        let candidateGroups = groups(from: source)
        var sets: [[String: Int]] = []
        for coding in codings {
            let relevant = candidateGroups.filter { $0.target == coding.system }
            guard !relevant.isEmpty else { continue }
            var set: [String: Int] = [:]
            for group in relevant {
                for local in group.order {
                    for target in group.elements[local] ?? [] where target.code == coding.code {
                        set[local] = min(set[local] ?? Int.max, target.rank)
                    }
                }
            }
            if !set.isEmpty { sets.append(set) }
        }
        guard let first = sets.first else { return .none }
        let common = first.keys.filter { local in sets.allSatisfy { $0[local] != nil } }.sorted()
        if common.count == 1 { return .found(common[0]) }
        guard !common.isEmpty else {
            return .ambiguous(Array(Set(sets.flatMap { $0.keys })).sorted())
        }
        let score = { (local: String) in sets.reduce(0) { $0 + ($1[local] ?? 0) } }
        let best = common.map(score).min()!
        let winners = common.filter { score($0) == best }
        return winners.count == 1 ? .found(winners[0]) : .ambiguous(winners)
    }

    // MARK: Loading

    /// Indexes a decoded ConceptMap, refusing constructs the mapping does not follow.
    static func groups(of map: ConceptMap, file: String) throws(LocalRecordError) -> [Group] {
        let source = ConceptMapSource(url: map.url?.value ?? "(no url)", file: file)
        var result: [Group] = []
        for (groupIndex, group) in map.group.enumerated() {
            let path = "ConceptMap.group[\(groupIndex)]"
            guard let from = group.source?.value, let to = group.target?.value else {
                throw invalid(source, path, "every group needs a source and a target system")
            }
            if group.unmapped != nil {
                throw invalid(
                    source, path + ".unmapped",
                    "unmapped is not followed: a local code without a mapping is an error, never a default")
            }
            var elements: [String: [Target]] = [:]
            var order: [String] = []
            var unmatched: [String: String] = [:]
            for (elementIndex, element) in group.element.enumerated() {
                let elementPath = "\(path).element[\(elementIndex)]"
                guard let code = element.code?.value else {
                    throw invalid(source, elementPath, "an element needs a code")
                }
                guard elements[code] == nil, unmatched[code] == nil else {
                    throw invalid(source, elementPath, "local code \"\(code)\" is listed twice in one group")
                }
                var targets: [Target] = []
                for (targetIndex, target) in element.target.enumerated() {
                    let targetPath = "\(elementPath).target[\(targetIndex)]"
                    guard let equivalence = target.equivalence?.value else {
                        throw invalid(source, targetPath, "a target needs an equivalence")
                    }
                    if equivalence == "unmatched" || equivalence == "disjoint" {
                        unmatched[code] = target.comment?.value ?? equivalence
                        continue
                    }
                    guard let targetCode = target.code?.value else {
                        throw invalid(source, targetPath, "a target with equivalence \(equivalence) needs a code")
                    }
                    let rank = equivalence == "equal" ? 0 : equivalence == "equivalent" ? 1 : 2
                    targets.append(Target(code: targetCode, display: target.display?.value, rank: rank))
                }
                if !targets.isEmpty {
                    elements[code] = targets
                    order.append(code)
                    unmatched[code] = nil
                }
            }
            result.append(
                Group(
                    map: source, source: from, target: to, elements: elements, order: order,
                    unmatched: unmatched))
        }
        return result
    }

    private static func invalid(_ map: ConceptMapSource, _ path: String, _ message: String) -> LocalRecordError {
        LocalRecordError(.invalidMappings, "\(map.file): \(message)", conceptMap: map.description, fhirPath: path)
    }
}
