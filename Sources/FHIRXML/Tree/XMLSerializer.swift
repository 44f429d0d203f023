/// Writes an ``XMLElement`` tree as UTF-8 XML, escaping text and attribute values.
///
/// Namespaces are written as default-namespace declarations where an element's namespace
/// differs from its parent's (`<Patient xmlns="http://hl7.org/fhir">`,
/// `<div xmlns="http://www.w3.org/1999/xhtml">`). Pretty printing indents FHIR elements only;
/// inside the narrative (mixed content) whitespace is meaning, so nothing is added there.
struct XMLSerializer {
    var pretty: Bool
    private(set) var bytes: [UInt8] = []

    init(pretty: Bool) { self.pretty = pretty }

    /// Writes `<?xml version="1.0" encoding="UTF-8"?>` and the root element.
    mutating func writeDocument(_ root: XMLElement) {
        append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>")
        if pretty { bytes.append(newline) }
        write(root, inheritedNamespace: nil, depth: 0)
        if pretty { bytes.append(newline) }
    }

    /// Writes one element and its subtree, declaring its namespace as the default.
    mutating func write(_ element: XMLElement, inheritedNamespace: String?, depth: Int) {
        bytes.append(UInt8(ascii: "<"))
        append(element.name)
        if element.namespace != inheritedNamespace {
            append(" xmlns=\"")
            appendEscaped(element.namespace ?? "", inAttribute: true)
            bytes.append(quote)
        }
        var extraPrefixes = 0
        for attribute in element.attributes {
            bytes.append(space)
            if let namespace = attribute.namespace {
                if namespace == XMLNamespace.xml {
                    append("xml:")
                } else {
                    // A foreign attribute namespace gets its own prefix, declared in place.
                    extraPrefixes += 1
                    let prefix = attribute.prefix ?? "ns\(extraPrefixes)"
                    append("xmlns:\(prefix)=\"")
                    appendEscaped(namespace, inAttribute: true)
                    bytes.append(quote)
                    bytes.append(space)
                    append(prefix + ":")
                }
            }
            append(attribute.name)
            append("=\"")
            appendEscaped(attribute.value, inAttribute: true)
            bytes.append(quote)
        }
        if element.children.isEmpty && (element.namespace != XMLNamespace.xhtml || element.writesEmptyTag) {
            append("/>")
            return
        }
        bytes.append(UInt8(ascii: ">"))
        // Indent only element-only FHIR content; XHTML keeps its whitespace exactly.
        let indent = pretty && element.namespace == XMLNamespace.fhir
            && !element.children.contains { if case .text = $0 { true } else { false } }
        for child in element.children {
            switch child {
            case .element(let childElement):
                if indent { writeIndent(depth + 1) }
                write(childElement, inheritedNamespace: element.namespace, depth: depth + 1)
            case .text(let text):
                appendEscaped(text, inAttribute: false)
            }
        }
        if indent { writeIndent(depth) }
        append("</")
        append(element.name)
        bytes.append(UInt8(ascii: ">"))
    }

    private let newline = UInt8(ascii: "\n"), space = UInt8(ascii: " "), quote = UInt8(ascii: "\"")

    private mutating func writeIndent(_ depth: Int) {
        bytes.append(newline)
        bytes.append(contentsOf: repeatElement(space, count: depth * 2))
    }

    private mutating func append(_ text: String) { bytes.append(contentsOf: text.utf8) }

    /// Escapes markup characters; in attributes also quotes and the whitespace characters that
    /// attribute-value normalization would otherwise turn into spaces.
    private mutating func appendEscaped(_ text: String, inAttribute: Bool) {
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "&"): append("&amp;")
            case UInt8(ascii: "<"): append("&lt;")
            case UInt8(ascii: ">"): append("&gt;")
            case 0x0D: append("&#13;")
            case UInt8(ascii: "\"") where inAttribute: append("&quot;")
            case 0x0A where inAttribute: append("&#10;")
            case 0x09 where inAttribute: append("&#9;")
            default: bytes.append(byte)
            }
        }
    }

    /// The first character XML 1.0 cannot carry at all (C0 controls other than tab, line feed
    /// and carriage return; U+FFFE, U+FFFF), or nil.
    static func firstUnwritableCharacter(in text: String) -> Unicode.Scalar? {
        text.unicodeScalars.first { scalar in
            switch scalar.value {
            case 0x09, 0x0A, 0x0D: false
            case 0..<0x20, 0xFFFE, 0xFFFF: true
            default: false
            }
        }
    }
}
