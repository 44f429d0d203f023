import Foundation

/// One element of a StructureDefinition's snapshot, with only what the generator uses.
struct ElementDefinitionInfo {
    struct TypeRef {
        /// The type code: `string`, `CodeableConcept`, `http://hl7.org/fhirpath/System.String`.
        var code: String
        /// Allowed target resources of a Reference (profile URLs' last components).
        var targets: [String]
    }

    var path: String
    var min: Int
    var max: String
    var types: [TypeRef]
    /// `#Bundle.link`: the element reuses the structure of another backbone element.
    var contentReference: String?
    var short: String
    var bindingStrength: String?
    var bindingValueSet: String?

    /// The last component of the path, e.g. `value[x]`.
    var name: String { String(path.split(separator: ".").last!) }
    var isArray: Bool { max != "1" && max != "0" }
    var isChoice: Bool { name.hasSuffix("[x]") }
}

/// A StructureDefinition reduced to what the generator needs.
struct StructureDefinitionInfo {
    var name: String
    var kind: String
    var isAbstract: Bool
    var description: String
    var elements: [ElementDefinitionInfo]
}

enum StructureDefinitionLoader {
    struct LoadError: Error, CustomStringConvertible {
        var description: String
    }

    /// Reads every `StructureDefinition-*.json` in the folder.
    static func load(from folder: URL) throws -> [StructureDefinitionInfo] {
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { $0.hasPrefix("StructureDefinition-") && $0.hasSuffix(".json") }
            .sorted()
        guard !names.isEmpty else { throw LoadError(description: "no StructureDefinition-*.json in \(folder.path)") }
        return try names.map { try parse(folder.appendingPathComponent($0)) }
    }

    private static func parse(_ url: URL) throws -> StructureDefinitionInfo {
        let data = try Data(contentsOf: url)
        guard let root = try JSONSerialization.jsonObject(with: data) as? [String: Any],
            let name = root["name"] as? String, let kind = root["kind"] as? String,
            let snapshot = root["snapshot"] as? [String: Any],
            let elements = snapshot["element"] as? [[String: Any]]
        else { throw LoadError(description: "\(url.lastPathComponent): not a StructureDefinition with a snapshot") }
        return StructureDefinitionInfo(
            name: name,
            kind: kind,
            isAbstract: root["abstract"] as? Bool ?? false,
            description: root["description"] as? String ?? "",
            elements: elements.map(parseElement)
        )
    }

    private static func parseElement(_ json: [String: Any]) -> ElementDefinitionInfo {
        let types = (json["type"] as? [[String: Any]] ?? []).map { type in
            ElementDefinitionInfo.TypeRef(
                code: type["code"] as? String ?? "",
                targets: (type["targetProfile"] as? [String] ?? []).map { String($0.split(separator: "/").last!) }
            )
        }
        let binding = json["binding"] as? [String: Any]
        return ElementDefinitionInfo(
            path: json["path"] as? String ?? "",
            min: json["min"] as? Int ?? 0,
            max: json["max"] as? String ?? "1",
            types: types,
            contentReference: json["contentReference"] as? String,
            short: json["short"] as? String ?? "",
            bindingStrength: binding?["strength"] as? String,
            bindingValueSet: binding?["valueSet"] as? String
        )
    }
}
