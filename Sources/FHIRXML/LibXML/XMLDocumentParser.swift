internal import CLibXML2
import FHIRCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Parses a whole XML document with libxml2 into an ``XMLElement`` tree, hardened against
/// hostile input.
///
/// libxml2's document lives only inside ``parse(_:)``: it is freed before the function
/// returns, and nothing that points into it escapes.
struct XMLDocumentParser {
    var limits: FHIRXMLLimits

    /// Parses `bytes` and returns the root element.
    /// - Throws: ``FHIRDiagnostic`` with code `syntax` (and libxml2's line and column),
    ///   `tooLarge` or `tooDeep`.
    func parse(_ bytes: UnsafeRawBufferPointer) throws(FHIRDiagnostic) -> XMLElement {
        try withDocument(bytes) { (root, log) throws(FHIRDiagnostic) in
            var builder = XMLTreeBuilder(limits: limits)
            for (node, span) in log.narrativeSpans where span.start < span.end && span.end <= bytes.count {
                builder.narrativeSources[node] = String(
                    decoding: UnsafeRawBufferPointer(rebasing: bytes[span.start..<span.end]),
                    as: UTF8.self)
            }
            return try builder.element(from: root, depth: 1)
        }
    }

    /// The root element's name and namespace, after the same checks as ``parse(_:)`` and with
    /// the same errors, but without copying the document into Swift: for callers that only ask
    /// whether a narrative is well-formed, once per resource.
    func rootName(_ bytes: UnsafeRawBufferPointer) throws(FHIRDiagnostic) -> (name: String, namespace: String?) {
        try withDocument(bytes) { (root, _) throws(FHIRDiagnostic) in
            try XMLTreeBuilder(limits: limits).checkLimits(from: root, depth: 1)
            return (String(cString: root.pointee.name), root.pointee.ns?.pointee.href.map { String(cString: $0) })
        }
    }

    /// Parses `bytes` with libxml2 and hands `body` the root element and the parse's log; the
    /// document is freed when `body` returns.
    private func withDocument<Result>(
        _ bytes: UnsafeRawBufferPointer,
        _ body: (UnsafeMutablePointer<xmlNode>, XMLIssueLog) throws(FHIRDiagnostic) -> Result
    ) throws(FHIRDiagnostic) -> Result {
        guard bytes.count <= limits.maxDocumentBytes else {
            throw FHIRDiagnostic(
                code: .tooLarge,
                message: "XML document of \(bytes.count) bytes exceeds the limit of \(limits.maxDocumentBytes) bytes"
                    + " (FHIRXMLLimits.maxDocumentBytes) "
                    + FHIRReadLimits.hint(.maxRecordBytes, value: limits.maxDocumentBytes)
                    + "; read large Bundles entry by entry with FHIRXMLBundleStream",
                location: SourceLocation(line: 1, column: 1, byteOffset: 0))
        }
        guard bytes.count <= Int(Int32.max), let base = bytes.baseAddress, bytes.count > 0 else {
            throw FHIRDiagnostic(
                code: .syntax, message: "malformed XML: the document is empty",
                location: SourceLocation(line: 1, column: 1, byteOffset: 0))
        }
        // libxml2 takes a NUL byte for the end of its input: after the root element everything
        // from it on would be dropped without a word. XML has no NUL character at all.
        if let nul = memchr(base, 0, bytes.count) {
            throw FHIRDiagnostic(
                code: .syntax, message: "malformed XML: a NUL byte (U+0000 is not an XML character)",
                location: SourceLocation(byteOffset: base.distance(to: nul), in: bytes))
        }
        XMLLibrary.ensureInitialized()
        guard let context = xmlNewParserCtxt() else {
            throw FHIRDiagnostic(code: .syntax, message: "libxml2 could not allocate a parser context")
        }
        defer { xmlFreeParserCtxt(context) }
        let log = XMLIssueLog()
        return try withExtendedLifetime(log) { () throws(FHIRDiagnostic) -> Result in
            context.pointee._private = Unmanaged.passUnretained(log).toOpaque()
            log.locator = XMLStartTagLocator(source: bytes)
            if let sax = context.pointee.sax {
                sax.pointee.serror = recordContextError
                sax.pointee.internalSubset = refuseDoctype
                sax.pointee.startElementNs = startElementRecordingColumn
                sax.pointee.endElementNs = endElementRecordingForm
            }
            let document = xmlCtxtReadMemory(
                context, base.assumingMemoryBound(to: CChar.self), Int32(bytes.count), nil, nil,
                XMLParseOptions.hardened.rawValue)
            defer { if let document { xmlFreeDoc(document) } }
            if log.firstError != nil || document == nil {
                throw log.diagnostic(fallback: "malformed XML: libxml2 returned no document")
            }
            guard let document, let root = xmlDocGetRootElement(document) else {
                throw FHIRDiagnostic(
                    code: .syntax, message: "malformed XML: the document has no root element",
                    location: SourceLocation(line: 1, column: 1, byteOffset: 0))
            }
            return try body(root, log)
        }
    }
}

/// Stops the parse at `<!DOCTYPE`, before the internal subset (entity declarations) is read:
/// FHIR XML has no DTD, and refusing it closes XXE and entity-expansion attacks at once.
private let refuseDoctype: internalSubsetSAXFunc = { context, _, _, _ in
    guard let context, let log = XMLIssueLog.of(context: context) else { return }
    let ctxt = context.assumingMemoryBound(to: xmlParserCtxt.self)
    log.refusal = XMLIssueLog.Issue(
        level: .fatal,
        message: "a DOCTYPE is not allowed in FHIR XML (DTDs and entity declarations are refused for safety)",
        line: Int(xmlSAX2GetLineNumber(context)), column: Int(xmlSAX2GetColumnNumber(context)))
    xmlStopParser(ctxt)
}

/// libxml2's own start-element handler, followed by a note of the start tag's column in the
/// node's `_private` field (libxml2 records only the line on nodes).
private let startElementRecordingColumn: startElementNsSAX2Func = {
    context, localName, prefix, uri, namespaceCount, namespaces, attributeCount, defaultedCount, attributes in
    xmlSAX2StartElementNs(
        context, localName, prefix, uri, namespaceCount, namespaces, attributeCount,
        defaultedCount, attributes)
    guard let context, let log = XMLIssueLog.of(context: context) else { return }
    let ctxt = context.assumingMemoryBound(to: xmlParserCtxt.self)
    guard let node = ctxt.pointee.node, let tag = log.locator?.startTag(ctxt) else { return }
    node.pointee._private = UnsafeMutableRawPointer(bitPattern: tag.column)
    // A narrative: note where it starts in the document.
    if isNarrative(node), let start = tag.offset {
        log.narrativeSpans[UnsafeMutableRawPointer(node)] = (start, -1)
    }
}

/// A `div` in the XHTML namespace directly inside a FHIR element.
private func isNarrative(_ node: UnsafeMutablePointer<xmlNode>) -> Bool {
    guard let name = node.pointee.name, strcmp(UnsafeRawPointer(name).assumingMemoryBound(to: CChar.self), "div") == 0,
        let href = node.pointee.ns?.pointee.href,
        strcmp(UnsafeRawPointer(href).assumingMemoryBound(to: CChar.self), "http://www.w3.org/1999/xhtml") == 0,
        let parent = node.pointee.parent, parent.pointee.type == XML_ELEMENT_NODE,
        let parentHref = parent.pointee.ns?.pointee.href
    else { return false }
    return strcmp(UnsafeRawPointer(parentHref).assumingMemoryBound(to: CChar.self), "http://hl7.org/fhir") == 0
}

/// libxml2's own end-element handler, preceded by a note of whether the element was written
/// `<p/>`: the parser stands just after the `/>` or the `>` of the end tag.
private let endElementRecordingForm: endElementNsSAX2Func = { context, localName, prefix, uri in
    if let context {
        let ctxt = context.assumingMemoryBound(to: xmlParserCtxt.self)
        if let node = ctxt.pointee.node, node.pointee.children == nil, let input = ctxt.pointee.input,
            let base = input.pointee.base, let cursor = input.pointee.cur, cursor - base >= 2,
            (cursor - 2).pointee == UInt8(ascii: "/"), (cursor - 1).pointee == UInt8(ascii: ">")
        {
            let recorded = node.pointee._private.map { Int(bitPattern: $0) } ?? 0
            node.pointee._private = UnsafeMutableRawPointer(bitPattern: recorded | XMLNodeMarks.selfClosing)
        }
        if let node = ctxt.pointee.node, let log = XMLIssueLog.of(context: context),
            let span = log.narrativeSpans[UnsafeMutableRawPointer(node)], let end = log.locator?.offset(ctxt)
        {
            log.narrativeSpans[UnsafeMutableRawPointer(node)] = (span.start, end)
        }
    }
    xmlSAX2EndElementNs(context, localName, prefix, uri)
}
