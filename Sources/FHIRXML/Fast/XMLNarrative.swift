import FHIRCore

/// The narrative `div` as the XML writers put it in a document.
enum XMLNarrative {
    /// Parses XHTML text with the hardened parser and serializes it as the child of a FHIR
    /// element (declaring the XHTML namespace), or returns nil when it is not a well-formed
    /// `<div xmlns="http://www.w3.org/1999/xhtml">`.
    static func parse(_ text: String) -> [UInt8]? {
        let parsed = Array(text.utf8).withUnsafeBytes { buffer in
            Result { () throws(FHIRDiagnostic) in try XMLDocumentParser(limits: .default).parse(buffer) }
        }
        guard case .success(let div) = parsed, div.name == "div", div.namespace == XMLNamespace.xhtml else {
            return nil
        }
        var serializer = XMLSerializer(pretty: false)
        serializer.write(div, inheritedNamespace: XMLNamespace.fhir, depth: 0)
        return serializer.bytes
    }

    /// Whether `text` is a narrative `div` that can be put into a FHIR XML document as it is:
    /// one `<div>` element in the XHTML namespace it declares itself, well-formed, nothing
    /// before or after it.
    static func standsAlone(_ text: String) -> Bool {
        guard text.utf8.starts(with: "<div".utf8), text.utf8.last == UInt8(ascii: ">") else { return false }
        let parsed = Array(text.utf8).withUnsafeBytes { buffer in
            Result { () throws(FHIRDiagnostic) in try XMLDocumentParser(limits: .default).rootName(buffer) }
        }
        guard case .success(let div) = parsed else { return false }
        return div.name == "div" && div.namespace == XMLNamespace.xhtml
    }
}
