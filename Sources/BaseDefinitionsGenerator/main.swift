// Writes Sources/FHIRPackages/Generated from the R4 core package: every StructureDefinition,
// ValueSet and CodeSystem, reduced to what the element model, FHIRPath and validation use,
// as minified JSON in string literals (one definition a line), with an index of where each is.
//
//   swift run BaseDefinitionsGenerator ../shared/corpus/packages/hl7.fhir.r4.core-4.0.1.tgz \
//       Sources/FHIRPackages/Generated
import FHIRJSON
import FHIRPackages
import Foundation

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("BaseDefinitionsGenerator: \(message)\n".utf8))
    exit(1)
}

let arguments = CommandLine.arguments
guard arguments.count == 3 else {
    fail("usage: BaseDefinitionsGenerator PATH/hl7.fhir.r4.core-4.0.1.tgz OUTPUT_FOLDER")
}
let core: FHIRPackage
do {
    core = try FHIRPackage(path: arguments[1])
} catch {
    fail("\(error)")
}
guard core.manifest.name == "hl7.fhir.r4.core" else { fail("not the R4 core package: \(core.manifest.name)") }

// MARK: What is kept

/// Constraints written once and referred to by number (ele-1 is on almost every element).
var constraintIndex: [String: Int] = [:]
var constraintTable: [JSONTree] = []

func members(_ tree: JSONTree) -> [String: JSONTree] {
    if case .object(let members) = tree { return members }
    return [:]
}

func array(_ tree: JSONTree?) -> [JSONTree] {
    if case .array(let elements)? = tree { return elements }
    return []
}

func keep(_ tree: JSONTree?, _ keys: [String]) -> JSONTree {
    let all = members(tree ?? .null)
    var kept: [String: JSONTree] = [:]
    for key in keys { if let value = all[key] { kept[key] = value } }
    return .object(kept)
}

let keptTypeExtensions: Set<String> = [
    "http://hl7.org/fhir/StructureDefinition/structuredefinition-fhir-type",
    "http://hl7.org/fhir/StructureDefinition/regex",
]

@MainActor func element(_ tree: JSONTree) -> JSONTree {
    var kept: [String: JSONTree] = [:]
    for (key, value) in members(tree) {
        switch key {
        case "path", "sliceName", "min", "max", "contentReference", "maxLength", "representation":
            kept[key] = value
        case "id":
            if value != members(tree)["path"] { kept[key] = value }
        case "isModifier", "mustSupport":
            if value == .bool(true) { kept[key] = value }
        case "type":
            kept[key] = .array(
                array(value).map { type in
                    var reduced = members(keep(type, ["code", "profile", "targetProfile"]))
                    let extensions = array(members(type)["extension"]).filter {
                        if case .string(let url)? = members($0)["url"] { return keptTypeExtensions.contains(url) }
                        return false
                    }
                    if !extensions.isEmpty { reduced["extension"] = .array(extensions) }
                    return .object(reduced)
                })
        case "binding":
            kept[key] = keep(value, ["strength", "valueSet"])
        case "slicing":
            kept[key] = keep(value, ["discriminator", "rules", "ordered"])
        case "constraint":
            kept[key] = .array(
                array(value).map { constraint in
                    let reduced = keep(constraint, ["key", "severity", "human", "expression", "source"])
                    let text = minified(reduced)
                    if let index = constraintIndex[text] { return .number(lexeme: String(index)) }
                    constraintIndex[text] = constraintTable.count
                    constraintTable.append(reduced)
                    return .number(lexeme: String(constraintTable.count - 1))
                })
        default:
            if key.hasPrefix("fixed") || key.hasPrefix("pattern") || key.hasPrefix("minValue")
                || key.hasPrefix("maxValue")
            {
                kept[key] = value
            }
        }
    }
    return .object(kept)
}

@MainActor func structureDefinition(_ tree: JSONTree) -> JSONTree {
    var kept = members(
        keep(
            tree,
            [
                "resourceType", "url", "version", "name", "type", "kind", "abstract", "baseDefinition", "derivation",
                "context", "contextInvariant",
            ]))
    let elements = array(members(members(tree)["snapshot"] ?? .null)["element"])
    kept["snapshot"] = .object(["element": .array(elements.map(element))])
    return .object(kept)
}

func valueSet(_ tree: JSONTree) -> JSONTree {
    var kept = members(keep(tree, ["resourceType", "url", "version", "name"]))
    if let compose = members(tree)["compose"] {
        func part(_ include: JSONTree) -> JSONTree {
            var reduced = members(keep(include, ["system", "version", "filter", "valueSet"]))
            let concepts = array(members(include)["concept"]).map { keep($0, ["code", "display"]) }
            if !concepts.isEmpty { reduced["concept"] = .array(concepts) }
            return .object(reduced)
        }
        var reduced = members(keep(compose, ["inactive"]))
        for key in ["include", "exclude"] {
            let parts = array(members(compose)[key]).map(part)
            if !parts.isEmpty { reduced[key] = .array(parts) }
        }
        kept["compose"] = .object(reduced)
    }
    if let expansion = members(tree)["expansion"] {
        kept["expansion"] = keep(expansion, ["total", "contains"])
    }
    return .object(kept)
}

func concept(_ tree: JSONTree) -> JSONTree {
    var kept = members(keep(tree, ["code", "display", "property"]))
    let children = array(members(tree)["concept"]).map(concept)
    if !children.isEmpty { kept["concept"] = .array(children) }
    return .object(kept)
}

func codeSystem(_ tree: JSONTree) -> JSONTree {
    var kept = members(
        keep(
            tree,
            [
                "resourceType", "url", "version", "name", "content", "caseSensitive", "hierarchyMeaning", "valueSet",
                "supplements",
            ]))
    let properties = array(members(tree)["property"]).map { keep($0, ["code", "type", "uri"]) }
    if !properties.isEmpty { kept["property"] = .array(properties) }
    let concepts = array(members(tree)["concept"]).map(concept)
    if !concepts.isEmpty { kept["concept"] = .array(concepts) }
    return .object(kept)
}

// MARK: Minified JSON, keys sorted (so the output is the same on every run)

func minified(_ tree: JSONTree) -> String {
    var out = ""
    write(tree, to: &out)
    return out
}

func write(_ tree: JSONTree, to out: inout String) {
    switch tree {
    case .object(let members):
        out += "{"
        for (index, key) in members.keys.sorted().enumerated() {
            if index > 0 { out += "," }
            writeString(key, to: &out)
            out += ":"
            write(members[key]!, to: &out)
        }
        out += "}"
    case .array(let elements):
        out += "["
        for (index, element) in elements.enumerated() {
            if index > 0 { out += "," }
            write(element, to: &out)
        }
        out += "]"
    case .string(let text): writeString(text, to: &out)
    case .number(let lexeme): out += lexeme
    case .bool(let value): out += value ? "true" : "false"
    case .null: out += "null"
    }
}

func writeString(_ text: String, to out: inout String) {
    out += "\""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        case _ where scalar.value < 0x20:
            let hex = String(scalar.value, radix: 16)
            out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        default: out.unicodeScalars.append(scalar)
        }
    }
    out += "\""
}

// MARK: Items and chunks

struct Item {
    var indexFields: [String]
    var json: String
}

var items: [Item] = []
let order: [String: Int] = ["StructureDefinition": 0, "ValueSet": 1, "CodeSystem": 2]
let resources = core.canonicalResourcesForGeneration.sorted {
    (order[$0.resourceType]!, $0.url) < (order[$1.resourceType]!, $1.url)
}
for resource in resources {
    let tree: JSONTree
    do {
        tree = try JSONTree.parse(resource.bytes)
    } catch {
        fail("\(resource.url): \(error)")
    }
    let reduced: JSONTree
    switch resource.resourceType {
    case "StructureDefinition": reduced = structureDefinition(tree)
    case "ValueSet": reduced = valueSet(tree)
    default: reduced = codeSystem(tree)
    }
    func field(_ key: String) -> String {
        switch members(tree)[key] {
        case .string(let text)?: return text
        default: return ""
        }
    }
    let fields = [
        resource.resourceType, resource.url, field("version"), field("type"), field("kind"),
        field("derivation"), field("baseDefinition"), members(tree)["abstract"] == .bool(true) ? "true" : "",
    ]
    for text in fields where text.contains("\t") || text.contains("\n") { fail("\(resource.url): tab or newline") }
    items.append(Item(indexFields: fields, json: minified(reduced)))
}

/// Chunks of about this many bytes: one Swift file each, so the compiler takes them in parallel.
let chunkBytes = 512 << 10
var chunks: [[String]] = [[]]
var chunkSizes = [0]
var indexLines: [String] = []
for item in items {
    if chunkSizes[chunks.count - 1] > 0 && chunkSizes[chunks.count - 1] + item.json.utf8.count > chunkBytes {
        chunks.append([])
        chunkSizes.append(0)
    }
    let chunk = chunks.count - 1
    let offset = chunkSizes[chunk] + (chunks[chunk].isEmpty ? 0 : 1)  // lines are joined by "\n"
    chunks[chunk].append(item.json)
    chunkSizes[chunk] = offset + item.json.utf8.count
    indexLines.append(
        (item.indexFields + [String(chunk), String(offset), String(item.json.utf8.count)])
            .joined(separator: "\t"))
}

/// A raw multi-line string literal holding `text` exactly: enough `#`s that nothing inside
/// reads as an escape or as the end.
func literal(_ text: String) -> String {
    var hashes = "#"
    while text.contains("\"" + hashes) || text.contains("\\" + hashes) { hashes += "#" }
    return hashes + "\"\"\"\n" + text + "\n\"\"\"" + hashes
}

let header = """
    // Generated by BaseDefinitionsGenerator from \(URL(fileURLWithPath: arguments[1]).lastPathComponent) \
    (\(core.manifest.reference)). Do not edit: run
    // `swift run BaseDefinitionsGenerator ../shared/corpus/packages/hl7.fhir.r4.core-4.0.1.tgz \
    Sources/FHIRPackages/Generated`.
    // FHIR specification content is CC0.

    """
let outputFolder = URL(fileURLWithPath: arguments[2])
do {
    try FileManager.default.createDirectory(at: outputFolder, withIntermediateDirectories: true)
    for old in try FileManager.default.contentsOfDirectory(atPath: outputFolder.path) where old.hasSuffix(".swift") {
        try FileManager.default.removeItem(at: outputFolder.appendingPathComponent(old))
    }
    for (number, lines) in chunks.enumerated() {
        let name = "BaseR4+Chunk\(number < 10 ? "0" : "")\(number)"
        let source =
            header + """
                extension BaseR4 {
                    /// Definitions, one a line (see `index` for where each starts).
                    static let chunk\(number): StaticString = \(literal(lines.joined(separator: "\n")))
                }

                """
        try Data(source.utf8).write(to: outputFolder.appendingPathComponent(name + ".swift"))
    }
    let chunkList = (0..<chunks.count).map { "chunk\($0)" }.joined(separator: ", ")
    let indexSource =
        header + """
            extension BaseR4 {
                static let packageName = "\(core.manifest.name)"
                static let packageVersion = "\(core.manifest.version)"

                /// The chunks, by number.
                static let chunks: [StaticString] = [\(chunkList)]

                /// One line a definition: resourceType, url, version, type, kind, derivation,
                /// baseDefinition, abstract, chunk, offset, length (tab-separated; empty when absent).
                static let index: StaticString = \(literal(indexLines.joined(separator: "\n")))

                /// The constraints elements refer to by number.
                static let constraintTable: StaticString = \(literal(minified(.array(constraintTable))))
            }

            """
    try Data(indexSource.utf8).write(to: outputFolder.appendingPathComponent("BaseR4+Index.swift"))
} catch {
    fail("cannot write \(outputFolder.path): \(error)")
}
print(
    "wrote \(items.count) definitions in \(chunks.count) chunks (\(chunkSizes.reduce(0, +)) bytes), "
        + "\(constraintTable.count) shared constraints, to \(outputFolder.path)")
