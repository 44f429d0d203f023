public import FHIRCore

extension FHIRXHTML {
    /// Why this narrative is not the XHTML FHIR requires, or `nil` when it is: well-formed, read
    /// by the same hardened parser as any XML input (so a DOCTYPE, an entity other than XML's
    /// own, or nesting past the limit is refused), with a `div` in the XHTML namespace at its root.
    ///
    /// The XML encoder refuses such a narrative; FHIR JSON carries it as a string that no reader
    /// parses, so `validate` asks here.
    public var xhtmlProblem: String? {
        // Text in the form the XML writers give a narrative (most narratives) is well-formed by
        // construction, so libxml2 need not be set up for it, once per resource. It is
        // recognized only within the parser's limits, so both ways give the same answer.
        let limits = FHIRXMLLimits.default
        if XHTMLCanonicalForm.recognizes(text, maxDepth: limits.maxDepth) { return nil }
        let parsed = Array(text.utf8).withUnsafeBytes { buffer in
            Result { () throws(FHIRDiagnostic) in try XMLDocumentParser(limits: limits).rootName(buffer) }
        }
        switch parsed {
        case .failure(let diagnostic):
            let position = diagnostic.location.map { " at \($0.line):\($0.column) of the div" } ?? ""
            return "narrative div is not well-formed XHTML\(position): \(diagnostic.message)"
        case .success(let div):
            guard div.name == "div", div.namespace == XMLNamespace.xhtml else {
                return
                    "narrative must be <div xmlns=\"\(XMLNamespace.xhtml)\">…</div>, found <\(div.name)> in namespace"
                    + " '\(div.namespace ?? "")'"
            }
            return nil
        }
    }
}
