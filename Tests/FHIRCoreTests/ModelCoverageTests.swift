import FHIRCore
import FHIRTestSupport
import Foundation
import Testing

/// The generated models cover every element of every StructureDefinition in the corpus: read
/// here straight from the JSON definitions, not through the generator.
@Suite struct ModelCoverageTests {
    struct Element {
        var path: String
        var min: Int
        var max: String
        var typeCodes: [String]
    }

    static func definitions() throws -> [(name: String, kind: String, elements: [Element])]? {
        guard let folder = SharedCorpus.url("fhir-r4/definitions") else { return nil }
        var result: [(name: String, kind: String, elements: [Element])] = []
        for file in try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        where file.hasPrefix("StructureDefinition-") {
            let json = try #require(
                try JSONSerialization.jsonObject(
                    with: Data(contentsOf: folder.appendingPathComponent(file))) as? [String: Any])
            let kind = json["kind"] as? String ?? ""
            guard kind != "primitive-type", json["abstract"] as? Bool != true else { continue }
            let snapshot = try #require((json["snapshot"] as? [String: Any])?["element"] as? [[String: Any]])
            let elements = snapshot.dropFirst().map { element in
                Element(
                    path: element["path"] as? String ?? "",
                    min: element["min"] as? Int ?? -1,
                    max: element["max"] as? String ?? "",
                    typeCodes: (element["type"] as? [[String: Any]] ?? []).compactMap { $0["code"] as? String })
            }
            result.append((json["name"] as? String ?? file, kind, elements))
        }
        return result
    }

    @Test func everyElementIsAKnownKeyOfItsSwiftType() throws {
        guard let definitions = try Self.definitions() else {
            print(SharedCorpus.absentMessage)
            return
        }
        var checked = 0
        var missing: [String] = []
        for definition in definitions {
            for element in definition.elements {
                let parent = String(element.path[..<element.path.lastIndex(of: ".")!])
                let name = String(element.path[element.path.index(after: element.path.lastIndex(of: ".")!)...])
                guard let keys = FHIRDefinitions.knownKeys[parent] else {
                    missing.append("\(element.path): no Swift type for \(parent)")
                    continue
                }
                let expected: [String] =
                    name.hasSuffix("[x]")
                    ? element.typeCodes.map { String(name.dropLast(3)) + $0.prefix(1).uppercased() + $0.dropFirst() }
                    : [name]
                for key in expected where !keys.contains(key) { missing.append("\(element.path): no key '\(key)'") }
                checked += 1
            }
        }
        print("model coverage: \(checked) elements of \(definitions.count) types checked, \(missing.count) missing")
        #expect(checked == definitions.reduce(0) { $0 + $1.elements.count } && checked > 0)
        #expect(missing.isEmpty, "\(missing.prefix(5))")
    }

    @Test func cardinalityAndOrderMatchTheDefinitions() throws {
        guard let definitions = try Self.definitions() else {
            print(SharedCorpus.absentMessage)
            return
        }
        var compared = 0
        for definition in definitions {
            var byParent: [String: [Element]] = [:]
            for element in definition.elements {
                byParent[String(element.path[..<element.path.lastIndex(of: ".")!]), default: []].append(element)
            }
            for (parent, elements) in byParent {
                guard let table = FHIRDefinitions.elements[parent] else {
                    Issue.record("no generated element table for \(parent)")
                    continue
                }
                compared += 1
                let names = elements.map {
                    String($0.path.split(separator: ".").last!).replacingOccurrences(of: "[x]", with: "")
                }
                #expect(table.map(\.name) == names, "element order of \(parent)")
                for (info, element) in zip(table, elements) {
                    #expect(info.min == element.min, "\(element.path) min")
                    #expect(info.max.map(String.init) ?? "*" == element.max, "\(element.path) max")
                }
            }
        }
        #expect(compared == FHIRDefinitions.elements.count, "every generated table was compared with its definition")
    }

    @Test func requiredBindingsOfTheIVIGResourcesAreRecorded() {
        let required = { (path: String, name: String) in
            FHIRDefinitions.elements[path]?.first { $0.name == name }?.binding?.strength == .required
        }
        #expect(required("MedicationRequest", "status"))
        #expect(required("MedicationRequest", "intent"))
        #expect(required("Observation", "status"))
        #expect(required("AdverseEvent", "actuality"))
        #expect(required("MedicationAdministration", "status"))
    }
}
