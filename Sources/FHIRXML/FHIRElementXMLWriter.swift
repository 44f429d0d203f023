public import FHIRCore
public import FHIRElementModel

/// Writes an ``FHIRElement`` tree as FHIR XML, compact or pretty, as ``FHIRXMLEncoder`` writes
/// the generated models: the elements in the tree's (specification) order, `id`, `url` and a
/// primitive's `value` as attributes with the same escapes, a resource inside a resource
/// wrapped in its element (`<contained><Patient>…`), the narrative as its XHTML.
public struct FHIRElementXMLWriter: Sendable {
    /// Indent FHIR elements for people (never inside the narrative).
    public var pretty: Bool

    /// Creates a writer.
    public init(pretty: Bool = false) { self.pretty = pretty }

    /// Writes a resource as an XML document.
    /// - Throws: ``FHIRDiagnostic`` when a value cannot be written in XML (a character XML 1.0
    ///   cannot carry, a narrative that is not well-formed XHTML).
    public func write(_ resource: FHIRElement) throws(FHIRDiagnostic) -> [UInt8] {
        let out = OutputBytes(capacity: 8192)
        out.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>")
        if pretty { out.append(UInt8(ascii: "\n")) }
        try ElementXMLOutput(out: out, pretty: pretty).element(resource, tag: resource.typeName, depth: 0, root: true)
        if pretty { out.append(UInt8(ascii: "\n")) }
        return out.bytes
    }
}

/// One write: the output and its layout.
private struct ElementXMLOutput {
    let out: OutputBytes
    let pretty: Bool

    private func indent(_ depth: Int) {
        guard pretty else { return }
        out.append(UInt8(ascii: "\n"))
        for _ in 0..<depth { out.append("  ") }
    }

    private func name(_ text: String) { out.appendString(text) }

    private func attribute(_ name: String, _ value: String, of element: FHIRElement) throws(FHIRDiagnostic) {
        out.append(UInt8(ascii: " "))
        out.appendString(name)
        out.append("=\"")
        let written =
            value.utf8.withContiguousStorageIfAvailable { XMLFastWriter.appendEscaped($0, to: out) }
            ?? Array(value.utf8).withUnsafeBufferPointer { XMLFastWriter.appendEscaped($0, to: out) }
        guard written else {
            throw FHIRDiagnostic(
                code: .invalidValue,
                message: value.isEmpty
                    ? "an empty \(name) cannot be written"
                    : "the \(name) holds a character XML 1.0 cannot carry",
                fhirPath: element.fhirPath)
        }
        out.append(UInt8(ascii: "\""))
    }

    /// `<tag …>children</tag>`, or `<tag …/>` with no element children.
    func element(_ element: FHIRElement, tag: String, depth: Int, root: Bool = false) throws(FHIRDiagnostic) {
        if element.kind == .resource && !root {
            // The holding element (`contained`, `resource`), then the resource inside it.
            out.append(UInt8(ascii: "<"))
            name(tag)
            out.append(UInt8(ascii: ">"))
            indent(depth + 1)
            try self.element(element, tag: element.typeName, depth: depth + 1, root: true)
            indent(depth)
            out.append("</")
            name(tag)
            out.append(UInt8(ascii: ">"))
            return
        }
        out.append(UInt8(ascii: "<"))
        name(tag)
        if root && depth == 0 { out.append(" xmlns=\"http://hl7.org/fhir\"") }
        var hasContent = false
        func isAttribute(_ child: FHIRElement) -> Bool {
            child.kind == .primitive
                && FHIRElementWireForm.isAttribute(child.name, ownerKind: element.kind, ownerType: element.typeName)
        }
        for child in element.children where isAttribute(child) {
            try attribute(child.name, child.value ?? "", of: child)
        }
        if element.kind == .primitive, let value = element.value {
            if element.typeName == "xhtml" {
                out.append(UInt8(ascii: ">"))
                try narrative(value, of: element)
                out.append("</")
                name(tag)
                out.append(UInt8(ascii: ">"))
                return
            }
            try attribute("value", value, of: element)
        }
        for child in element.children where !isAttribute(child) {
            if !hasContent {
                out.append(UInt8(ascii: ">"))
                hasContent = true
            }
            indent(depth + 1)
            if child.typeName == "xhtml", let text = child.value {
                try narrative(text, of: child)
            } else {
                try self.element(child, tag: child.wireName, depth: depth + 1)
            }
        }
        if hasContent {
            indent(depth)
            out.append("</")
            name(tag)
            out.append(UInt8(ascii: ">"))
        } else {
            out.append("/>")
        }
    }

    /// The narrative `div`: as it is when already in the form the serializer writes, else
    /// parsed with the hardened parser and written again.
    private func narrative(_ text: String, of element: FHIRElement) throws(FHIRDiagnostic) {
        // Copied as written when it is well-formed XHTML on its own, so that a JSON narrative
        // comes back from XML identical (the reader keeps the text as written too).
        if XHTMLCanonicalForm.recognizes(text) || XMLNarrative.standsAlone(text) {
            out.appendString(text)
            return
        }
        guard let div = XMLNarrative.parse(text) else {
            throw FHIRDiagnostic(
                code: .invalidValue,
                message: "narrative div is not well-formed XHTML <div xmlns=\"http://www.w3.org/1999/xhtml\">",
                fhirPath: element.fhirPath)
        }
        div.withUnsafeBufferPointer { out.append($0) }
    }
}
