/// The namespaces FHIR XML uses.
enum XMLNamespace {
    /// Every FHIR element is in this namespace.
    static let fhir = "http://hl7.org/fhir"
    /// The narrative `div` and everything inside it.
    static let xhtml = "http://www.w3.org/1999/xhtml"
    /// The `xml:` prefix (`xml:lang`), bound by definition, never declared.
    static let xml = "http://www.w3.org/XML/1998/namespace"
}

/// An element of an XML document held in Swift, with no libxml2 pointer inside.
///
/// The reader copies libxml2's tree into this form once, so the decoder and the error mapping
/// never touch C memory; the encoder builds the same form and the serializer writes it.
/// Comments and processing instructions are not kept (FHIR ignores them).
final class XMLElement {
    /// One attribute: its local name, namespace (nil for none) and prefix as written.
    struct Attribute {
        var name: String
        var namespace: String?
        var prefix: String?
        var value: String
    }

    /// A child: an element or character data (text and CDATA alike).
    enum Child {
        case element(XMLElement)
        case text(String)
    }

    /// The local name.
    var name: String
    /// The namespace URI, or nil when the element is in no namespace.
    var namespace: String?
    var attributes: [Attribute]
    var children: [Child]
    /// Where the start tag is, when the element was read from input.
    var line: Int
    var column: Int
    /// For an element with no content read from input: whether it was written `<p/>` (true)
    /// or `<p></p>` (false); nil when not known. The narrative keeps the form it came in, since
    /// an HTML parser reads `<p/>` as an unclosed `<p>` (see ``XHTMLVoidElements``).
    var selfClosing: Bool?
    /// For a narrative `div` read from input: its text exactly as written, when known.
    var sourceText: String?

    init(name: String, namespace: String?, attributes: [Attribute] = [], children: [Child] = [],
         line: Int = 0, column: Int = 0) {
        self.name = name
        self.namespace = namespace
        self.attributes = attributes
        self.children = children
        self.line = line
        self.column = column
    }

    /// The value of the attribute `name` in no namespace.
    func attribute(_ name: String) -> String? {
        for attribute in attributes where attribute.name == name && attribute.namespace == nil {
            return attribute.value
        }
        return nil
    }

    /// Sets (or replaces) an attribute in no namespace.
    func setAttribute(_ name: String, _ value: String) {
        if let index = attributes.firstIndex(where: { $0.name == name && $0.namespace == nil }) {
            attributes[index].value = value
        } else {
            attributes.append(Attribute(name: name, namespace: nil, prefix: nil, value: value))
        }
    }

    /// The element children, in document order.
    var elementChildren: [XMLElement] {
        children.compactMap { if case .element(let element) = $0 { element } else { nil } }
    }

    /// Whether any child is text that is not only XML whitespace.
    var hasSignificantText: Bool {
        children.contains { child in
            if case .text(let text) = child { return !text.utf8.allSatisfy(XMLElement.isWhitespace) }
            return false
        }
    }

    /// How an empty XHTML element is written: as it came, else `<br/>` for HTML's void
    /// elements and `<p></p>` for the others.
    var writesEmptyTag: Bool {
        selfClosing ?? XHTMLVoidElements.names.contains(name)
    }

    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    /// FHIR element names are lowerCamel and resource names UpperCamel; that is how XML tells a
    /// resource (`<Patient>`) from an element (`<contained>`) without a schema.
    var isResourceName: Bool {
        guard let first = name.utf8.first else { return false }
        return first >= UInt8(ascii: "A") && first <= UInt8(ascii: "Z")
    }
}

/// HTML's void elements: the only ones an HTML parser reads correctly as `<name/>`.
enum XHTMLVoidElements {
    static let names: Set<String> = [
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr",
    ]
}
