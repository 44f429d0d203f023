import FHIRCore
import FHIRJSON
import Foundation

@testable import FHIRXML

/// A canonical text form of an XML document, for comparing two documents by meaning.
///
/// Namespace prefixes, attribute order, comments, processing instructions and whitespace-only
/// text between FHIR elements do not count; element names with their namespace URIs,
/// attribute values and all XHTML content (text included) do.
enum CanonicalXML {
    /// Writes `resource` as XML, reads it back and writes JSON: `nil` when that JSON equals
    /// `original` (narratives compared as canonical XHTML), else the first difference.
    static func jsonDifferenceThroughXML(_ resource: AnyResource, original: [UInt8]) throws -> String? {
        let xml = try FHIRXMLEncoder(pretty: true).encode(resource)
        let back = try FHIRXMLDecoder().decode(AnyResource.self, from: xml)
        let written = try JSONTree.parse(FHIRJSONEncoder().encode(back))
        return try JSONTree.parse(original).firstDifference(
            from: written, equivalentStrings: CrossFormatCorpusTests.sameNarrative)
    }

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

    /// `nil` when the two documents are canonically equal; otherwise their first differing line.
    static func difference(expected: [UInt8], actual: [UInt8]) -> String? {
        let left = canonical(expected).split(separator: "\n", omittingEmptySubsequences: false)
        let right = canonical(actual).split(separator: "\n", omittingEmptySubsequences: false)
        for index in 0..<max(left.count, right.count) {
            let l = index < left.count ? String(left[index]) : "<end>"
            let r = index < right.count ? String(right[index]) : "<end>"
            if l != r {
                return "line \(index + 1): expected \(l.trimmingCharacters(in: .whitespaces))"
                    + " got \(r.trimmingCharacters(in: .whitespaces))"
            }
        }
        return nil
    }

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
