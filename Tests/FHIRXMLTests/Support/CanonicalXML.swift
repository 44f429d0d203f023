@testable import FHIRXML

/// A canonical text form of an XML document, for comparing two documents by meaning.
///
/// Namespace prefixes, attribute order, comments, processing instructions and whitespace-only
/// text between FHIR elements do not count; element names with their namespace URIs,
/// attribute values and all XHTML content (text included) do.
enum CanonicalXML {
    /// The canonical form of `bytes`, or the parse error's text.
    static func canonical(_ bytes: [UInt8]) -> String {
        let parsed = bytes.withUnsafeBytes { buffer in
            Result { () throws(FHIRDiagnostic) in try XMLDocumentParser(limits: .default).parse(buffer) }
        }
        switch parsed {
        case .success(let root):
            var out = ""
            write(root, into: &out, depth: 0)
            return out
        case .failure(let error):
            return "PARSE ERROR: \(error)"
        }
    }

    static func canonical(_ text: String) -> String { canonical(Array(text.utf8)) }

    static func write(_ element: XMLElement, into out: inout String, depth: Int) {
        let indent = String(repeating: "  ", count: depth)
        out += "\(indent)<{\(element.namespace ?? "")}\(element.name)"
        let attributes = element.attributes
            .map { "{\($0.namespace ?? "")}\($0.name)=\"\($0.value)\"" }
            .sorted()
        for attribute in attributes { out += " " + attribute }
        out += ">\n"
        let keepsText = element.namespace != XMLNamespace.fhir
        for child in element.children {
            switch child {
            case .element(let child): write(child, into: &out, depth: depth + 1)
            case .text(let text):
                if keepsText || !text.utf8.allSatisfy(XMLElement.isWhitespace) {
                    out += "\(indent)  TEXT(\(text.debugDescription))\n"
                }
            }
        }
    }
}

import FHIRCore
