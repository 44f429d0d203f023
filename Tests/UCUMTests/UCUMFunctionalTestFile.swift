import FHIRTestSupport
import Foundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// One `<case>` of UcumFunctionalTests.xml with its section and attributes.
struct UCUMFunctionalCase: Sendable, CustomStringConvertible {
    let section: String
    let attributes: [String: String]
    var id: String { attributes["id"] ?? "?" }
    subscript(_ key: String) -> String { attributes[key] ?? "" }
    var description: String {
        "\(section) \(id) "
            + attributes.filter { $0.key != "id" }.sorted { $0.key < $1.key }
            .map { "\($0.key)=\"\($0.value)\"" }.joined(separator: " ")
    }
}

/// Reads every case of UCUM's functional test file, in file order, grouped by section.
final class UCUMFunctionalTestFile: NSObject, XMLParserDelegate {
    private(set) var sections: [String] = []
    private(set) var cases: [UCUMFunctionalCase] = []
    private var depth = 0
    private var section = ""

    /// The file in ../shared/corpus, or `nil` when the corpus is absent.
    static func load() throws -> UCUMFunctionalTestFile? {
        guard let url = SharedCorpus.url("ucum/UcumFunctionalTests.xml"),
            FileManager.default.fileExists(atPath: url.path)
        else { return nil }
        let reader = UCUMFunctionalTestFile()
        let parser = XMLParser(data: try Data(contentsOf: url))
        parser.delegate = reader
        guard parser.parse() else {
            throw CocoaError(.fileReadCorruptFile, userInfo: [NSFilePathErrorKey: url.path])
        }
        return reader
    }

    func parser(
        _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        depth += 1
        if depth == 2, name != "history" {
            section = name
            sections.append(name)
        } else if depth == 3, name == "case" {
            cases.append(UCUMFunctionalCase(section: section, attributes: attributes))
        }
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        depth -= 1
    }
}
