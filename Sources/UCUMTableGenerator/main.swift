// UCUMTableGenerator: reads UCUM's own table (ucum-essence.xml) and writes the Swift table
// that the UCUM module compiles in (Sources/UCUM/Generated/UCUMTable+Generated.swift).
//
// Usage (from the package root):
//   swift run UCUMTableGenerator ../shared/corpus/ucum/ucum-essence.xml Sources/UCUM/Generated
//
// Every prefix, base unit and unit of the file is written, in file order; nothing is picked by
// hand. The output is deterministic, so running it twice gives the same file.

import Foundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// One `<prefix>`, `<base-unit>` or `<unit>` element as read.
struct Entry {
    var element = ""
    var attributes: [String: String] = [:]
    var names: [String] = []
    var printSymbol = ""
    var property = ""
    var valueAttributes: [String: String] = [:]
    var valueText = ""
    var function: [String: String]?
}

/// Collects entries with Foundation's SAX-style XMLParser (not a hot path: run by hand).
final class EssenceReader: NSObject, XMLParserDelegate {
    var rootAttributes: [String: String] = [:]
    var entries: [Entry] = []
    private var current: Entry?
    private var textTarget: String?
    private var text = ""

    func parser(
        _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        switch name {
        case "root":
            rootAttributes = attributes
        case "prefix", "base-unit", "unit":
            current = Entry(element: name, attributes: attributes)
        case "name", "printSymbol", "property":
            if current != nil, textTarget == nil { textTarget = name; text = "" }
        case "value":
            if current != nil { current?.valueAttributes = attributes; textTarget = "value"; text = "" }
        case "function":
            current?.function = attributes
        default:
            break
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if textTarget != nil { text += string }
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        let collapsed = text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
        switch name {
        case "prefix", "base-unit", "unit":
            if let entry = current { entries.append(entry) }
            current = nil
        case textTarget:
            switch name {
            case "name": current?.names.append(collapsed)
            case "printSymbol": current?.printSymbol = collapsed
            case "property": current?.property = collapsed
            case "value": current?.valueText = collapsed
            default: break
            }
            textTarget = nil
        default:
            break
        }
    }
}

/// A Swift string literal for `s`.
func literal(_ s: String) -> String {
    var out = "\""
    for scalar in s.unicodeScalars {
        switch scalar {
        case "\\": out += "\\\\"
        case "\"": out += "\\\""
        case "\n": out += "\\n"
        default: out.unicodeScalars.append(scalar)
        }
    }
    return out + "\""
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("UCUMTableGenerator: \(message)\n".utf8))
    exit(1)
}

let arguments = CommandLine.arguments
guard arguments.count == 3 else {
    fail("usage: UCUMTableGenerator <path to ucum-essence.xml> <output folder, e.g. Sources/UCUM/Generated>")
}
let inputURL = URL(fileURLWithPath: arguments[1])
let outputFolder = URL(fileURLWithPath: arguments[2], isDirectory: true)
guard let data = try? Data(contentsOf: inputURL) else { fail("cannot read \(inputURL.path)") }
let parser = XMLParser(data: data)
let reader = EssenceReader()
parser.delegate = reader
guard parser.parse() else {
    fail(
        "\(inputURL.path):\(parser.lineNumber):\(parser.columnNumber): \(parser.parserError.map { "\($0)" } ?? "parse error")"
    )
}

var prefixes: [String] = []
var bases: [String] = []
var units: [String] = []
for entry in reader.entries {
    let code = entry.attributes["Code"] ?? ""
    guard !code.isEmpty else { fail("an <\(entry.element)> has no Code attribute") }
    let name = entry.names.first ?? ""
    switch entry.element {
    case "prefix":
        guard let value = entry.valueAttributes["value"] else { fail("prefix \(code) has no value") }
        prefixes.append(
            "        PrefixDefinition(code: \(literal(code)), name: \(literal(name)), "
                + "printSymbol: \(literal(entry.printSymbol)), value: \(literal(value))),")
    case "base-unit":
        let dim = entry.attributes["dim"] ?? ""
        bases.append(
            "        BaseUnitDefinition(code: \(literal(code)), name: \(literal(name)), "
                + "printSymbol: \(literal(entry.printSymbol)), property: \(literal(entry.property)), "
                + "dimension: \(literal(dim))),")
    default:
        let isMetric = entry.attributes["isMetric"] == "yes"
        let isSpecial = entry.attributes["isSpecial"] == "yes"
        let isArbitrary = entry.attributes["isArbitrary"] == "yes"
        let kind = entry.attributes["class"] ?? ""
        var function = "nil"
        if let f = entry.function {
            guard let fname = f["name"], let fvalue = f["value"], let funit = f["Unit"] else {
                fail("unit \(code) has an incomplete <function>")
            }
            function = "FunctionDefinition(name: \(literal(fname)), value: \(literal(fvalue)), unit: \(literal(funit)))"
        }
        if isSpecial != (entry.function != nil) { fail("unit \(code): isSpecial and <function> disagree") }
        let valueUnit = entry.valueAttributes["Unit"] ?? ""
        let value = entry.valueAttributes["value"] ?? ""
        if !isSpecial && value.isEmpty { fail("unit \(code) has no value") }
        units.append(
            "        UnitDefinition(code: \(literal(code)), name: \(literal(name)), "
                + "printSymbol: \(literal(entry.printSymbol)), property: \(literal(entry.property)), "
                + "kind: \(literal(kind)), isMetric: \(isMetric), isArbitrary: \(isArbitrary), "
                + "valueUnit: \(literal(valueUnit)), value: \(literal(value)), function: \(function)),")
    }
}

let version = reader.rootAttributes["version"] ?? "?"
let revisionDate = reader.rootAttributes["revision-date"] ?? "?"
let source = """
    // Generated by UCUMTableGenerator from ucum-essence.xml (UCUM \(version), \(revisionDate)).
    // Do not edit: run `swift run UCUMTableGenerator ../shared/corpus/ucum/ucum-essence.xml Sources/UCUM/Generated`.
    // The UCUM table is © Regenstrief Institute, under the UCUM Copyright Notice and License.

    extension UCUMTable {
        /// The UCUM version of the table (`version` of ucum-essence.xml).
        static let version = \(literal(version))
        /// The revision date of the table (`revision-date` of ucum-essence.xml).
        static let revisionDate = \(literal(revisionDate))

        /// Every `<prefix>` of ucum-essence.xml, in file order (\(prefixes.count)).
        static let prefixDefinitions: [PrefixDefinition] = [
    \(prefixes.joined(separator: "\n"))
        ]

        /// Every `<base-unit>` of ucum-essence.xml, in file order (\(bases.count)).
        static let baseUnitDefinitions: [BaseUnitDefinition] = [
    \(bases.joined(separator: "\n"))
        ]

        /// Every `<unit>` of ucum-essence.xml, in file order (\(units.count)).
        static let unitDefinitions: [UnitDefinition] = [
    \(units.joined(separator: "\n"))
        ]
    }

    """
let outputURL = outputFolder.appendingPathComponent("UCUMTable+Generated.swift")
do {
    try FileManager.default.createDirectory(at: outputFolder, withIntermediateDirectories: true)
    try Data(source.utf8).write(to: outputURL)
} catch {
    fail("cannot write \(outputURL.path): \(error)")
}
print(
    "wrote \(outputURL.path): \(prefixes.count) prefixes, \(bases.count) base units, \(units.count) units (UCUM \(version))"
)
