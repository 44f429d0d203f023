public import FHIRElementModel
import FHIRJSON
import Foundation

/// A stand-in for the definitions module's layouts, read from the StructureDefinitions in
/// `../shared/corpus/fhir-r4/definitions/` (datatypes and a few resources), so the readers and
/// writers are tested before the real definitions are merged.
public final class StandInLayouts: FHIRTypeLayouts, @unchecked Sendable {
    private var types: [String: FHIRTypeLayout] = [:]
    private var paths: [String: [FHIRElementLayout]] = [:]

    /// Nil when the corpus is absent.
    public static let shared: StandInLayouts? = {
        guard let package = SharedCorpus.url("packages/hl7.fhir.r4.core-4.0.1.tgz") else { return nil }
        // Every R4 type: the core package's StructureDefinitions, unpacked once per machine.
        let unpacked = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("ivig-stand-in-r4-core")
        let folder = unpacked.appendingPathComponent("package")
        if !FileManager.default.fileExists(atPath: folder.appendingPathComponent("StructureDefinition-Patient.json").path) {
            try? FileManager.default.createDirectory(at: unpacked, withIntermediateDirectories: true)
            let tar = Process()
            tar.executableURL = URL(fileURLWithPath: "/bin/tar")
            tar.arguments = ["xzf", package.path, "-C", unpacked.path, "--wildcards", "package/StructureDefinition-*"]
            try? tar.run()
            tar.waitUntilExit()
        }
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return nil }
        let layouts = StandInLayouts()
        for name in names where name.hasPrefix("StructureDefinition-") {
            guard let data = FileManager.default.contents(atPath: folder.appendingPathComponent(name).path),
                  let tree = try? JSONTree.parse(Array(data)) else { continue }
            layouts.add(tree)
        }
        return layouts
    }()

    public func layout(ofType typeName: String) -> FHIRTypeLayout? { types[typeName] }
    public func children(ofPath path: String) -> [FHIRElementLayout]? { paths[path] }

    private func add(_ tree: JSONTree) {
        guard case .object(let sd) = tree, case .string(let type)? = sd["type"], case .string(let kindText)? = sd["kind"],
              case .object(let snapshot)? = sd["snapshot"], case .array(let elements)? = snapshot["element"],
              sd["derivation"] != .string("constraint"), kindText != "logical" else { return }
        let kind: FHIRElement.Kind = kindText == "resource" ? .resource : kindText == "primitive-type" ? .primitive : .complex
        var base: String?
        if case .string(let url)? = sd["baseDefinition"] { base = url.split(separator: "/").last.map(String.init) }
        var direct: [FHIRElementLayout] = []
        var byParent: [String: [FHIRElementLayout]] = [:]
        for case .object(let element) in elements {
            guard case .string(let path)? = element["path"] else { continue }
            var parts = path.split(separator: ".").map(String.init)
            guard parts.count > 1 else { continue }
            if case .string(let max)? = element["max"], max == "0" { continue }
            let last = parts.removeLast()
            let isChoice = last.hasSuffix("[x]")
            let name = isChoice ? String(last.dropLast(3)) : last
            var codes: [String] = []
            if case .array(let typeList)? = element["type"] {
                for case .object(let t) in typeList { if case .string(let code)? = t["code"] { codes.append(code) } }
            }
            var childrenPath: String?
            if case .string(let reference)? = element["contentReference"] {
                childrenPath = String(reference.dropFirst())
                codes = ["BackboneElement"]
            } else if codes == ["BackboneElement"] || (codes == ["Element"] && parts.count >= 1) {
                childrenPath = path
            }
            let min: Int = { if case .number(let text)? = element["min"] { return Int(text) ?? 0 }; return 0 }()
            let max: Int? = { if case .string(let text)? = element["max"], text != "*" { return Int(text) }; return nil }()
            let layout = FHIRElementLayout(name: name, path: path, types: codes, min: min, max: max, isChoice: isChoice,
                                           childrenPath: childrenPath)
            if parts.count == 1 { direct.append(layout) } else { byParent[parts.joined(separator: "."), default: []].append(layout) }
        }
        types[type] = FHIRTypeLayout(typeName: type, kind: kind, baseType: base,
                                     isAbstract: sd["abstract"] == .bool(true), elements: direct)
        for (path, children) in byParent { paths[path] = children }
    }
}
