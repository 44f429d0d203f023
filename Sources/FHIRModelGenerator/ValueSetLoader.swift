import Foundation

/// A value set expanded to its codes, grouped by code system.
struct ExpandedValueSet {
    /// The canonical URL, without a version.
    var url: String
    /// Code system URL → codes, in definition order.
    var codes: [(system: String, codes: [String])]
}

/// Expands the `ValueSet-*.json` files of the definitions folder from the `CodeSystem-*.json`
/// files beside them, so required bindings can be checked without a terminology server.
///
/// Handles what the R4 core value sets of the in-scope resources use: `compose.include` of a whole
/// code system (nested concepts included) or of a listed set of concepts. A value set that
/// includes a system with no CodeSystem file (BCP-13 MIME types, ISO 4217 currencies), uses a
/// filter, or another value set, is left out: the validator then cannot check its codes.
enum ValueSetLoader {
    static func load(from folder: URL) throws -> [ExpandedValueSet] {
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        var systems: [String: [String]] = [:]
        for name in names where name.hasPrefix("CodeSystem-") && name.hasSuffix(".json") {
            let root = try object(folder.appendingPathComponent(name))
            guard let url = root["url"] as? String else { continue }
            systems[url] = codes(of: root["concept"] as? [[String: Any]] ?? [])
        }
        var result: [ExpandedValueSet] = []
        for name in names where name.hasPrefix("ValueSet-") && name.hasSuffix(".json") {
            let root = try object(folder.appendingPathComponent(name))
            guard let url = root["url"] as? String,
                let compose = root["compose"] as? [String: Any],
                let includes = compose["include"] as? [[String: Any]],
                compose["exclude"] == nil
            else { continue }
            var expanded: [(system: String, codes: [String])] = []
            var complete = true
            for include in includes {
                guard let system = include["system"] as? String, include["filter"] == nil,
                    include["valueSet"] == nil
                else { complete = false; break }
                if let listed = include["concept"] as? [[String: Any]] {
                    expanded.append((system, listed.compactMap { $0["code"] as? String }))
                } else if let all = systems[system] {
                    expanded.append((system, all))
                } else {
                    complete = false
                    break
                }
            }
            if complete { result.append(ExpandedValueSet(url: url, codes: expanded)) }
        }
        return result
    }

    /// Every code of a concept list, children after their parent.
    private static func codes(of concepts: [[String: Any]]) -> [String] {
        concepts.flatMap { concept -> [String] in
            let own = (concept["code"] as? String).map { [$0] } ?? []
            return own + codes(of: concept["concept"] as? [[String: Any]] ?? [])
        }
    }

    private static func object(_ url: URL) throws -> [String: Any] {
        guard let root = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any] else {
            throw StructureDefinitionLoader.LoadError(description: "\(url.lastPathComponent): not a JSON object")
        }
        return root
    }
}
