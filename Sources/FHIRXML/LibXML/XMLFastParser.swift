internal import CLibXML2
import FHIRCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads FHIR XML with libxml2's SAX2 interface straight into an ``XMLFastDocument``: no libxml2
/// tree, no Swift tree, no per-element strings.
///
/// Same hardening as the DOM parse (``XMLParseOptions/hardened``, DOCTYPE refused, size and depth
/// limits). It gives up (returns nil) on anything outside plain FHIR content: a parse error,
/// foreign namespaces, text inside FHIR elements, entity references. The caller then runs the
/// full parse, which reports the problem with its line and column.
final class XMLFastParser {
    // The stored `var`s marked `@exclusivity(unchecked)` are this object's hot state: one decode
    // or encode owns it on one thread, so Swift's run-time check of exclusive access (a call on
    // every write) is turned off for them.

    private let document = XMLFastDocument()
    /// The parser's libxml2 context, made on first use and kept with the parser (see
    /// ``context()``).
    private var parserContext: xmlParserCtxtPtr?
    // The document's node list and arena, held here too: reached through `document` on every
    // SAX event, each was retained and released around its use (1% of an XML → JSON conversion).
    private let nodes: UnsafeList<XMLFastDocument.Node>
    private let arena: OutputBytes
    private let positions: UnsafeList<XMLFastDocument.Position>
    /// Counts start tags' columns when the caller asked for positions; nil otherwise.
    @exclusivity(unchecked) private var locator: XMLStartTagLocator?
    /// Where the narrative being serialized starts in the document, when positions are recorded.
    @exclusivity(unchecked) private var narrativeStart: Int?
    @exclusivity(unchecked) private var failed = false
    @exclusivity(unchecked) private var maxDepth = 0
    /// The string limit, or nil when the document is too short to hold a string over it (then
    /// nothing is checked). A value or text run over it sends the document to the full parse,
    /// which reports it with its place.
    @exclusivity(unchecked) private var maxStringBytes: Int?
    /// Bytes of text since the last tag, while strings are checked.
    @exclusivity(unchecked) private var textRun = 0
    /// The open FHIR elements (node indices), innermost last.
    @exclusivity(unchecked) private var open: [Int] = []
    /// Inside a narrative `div`: the open XHTML elements, innermost last.
    @exclusivity(unchecked) private var xhtml: [XHTMLElement] = []
    @exclusivity(unchecked) private var xhtmlStart = 0
    /// Blanks parsed after the document (see ``read(_:_:padding:)``), 0 when not padded.
    @exclusivity(unchecked) private var padding = 0
    /// libxml2 interns namespace URIs, so after one string comparison a pointer comparison does.
    @exclusivity(unchecked) private var fhirURI: UnsafePointer<xmlChar>?
    @exclusivity(unchecked) private var xhtmlURI: UnsafePointer<xmlChar>?

    /// A name pointer from libxml2's dictionary and where its bytes are in the arena.
    private struct NameSlot {
        var name: UnsafePointer<xmlChar>?
        var span = XMLFastDocument.Span.absent
    }

    private static let nameSlots = 64
    /// The element names met in this document (see ``span(ofName:)``); emptied for each one, as
    /// the arena is.
    private let names: UnsafeMutablePointer<NameSlot>

    private struct XHTMLElement {
        var namespace: UnsafePointer<xmlChar>?
        var hasChildren: Bool
    }

    private init() {
        nodes = document.nodes
        arena = document.arena
        positions = document.positions
        names = .allocate(capacity: Self.nameSlots)
        names.initialize(repeating: NameSlot(), count: Self.nameSlots)
        open.reserveCapacity(32)
    }

    deinit {
        names.deallocate()
        if let parserContext { xmlFreeParserCtxt(parserContext) }
    }

    /// Names a kept context's dictionary may hold: FHIR's element names are a small set, so a
    /// dictionary past this has seen hostile input with ever new names, and is freed.
    static let maxDictionaryNames: Int32 = 4096

    /// The libxml2 context to parse with: the parser's own, used again, so that a run of small
    /// documents does not create and free a context, its dictionary and its stacks for each one
    /// (a few percent of reading a 1.5 KB resource). `xmlCtxtReadMemory` resets it before use.
    private func context() -> xmlParserCtxtPtr? {
        if let parserContext, let dictionary = parserContext.pointee.dict,
            xmlDictSize(dictionary) <= Self.maxDictionaryNames
        {
            return parserContext
        }
        if let parserContext { xmlFreeParserCtxt(parserContext) }
        XMLLibrary.ensureInitialized()
        parserContext = xmlNewParserCtxt()
        return parserContext
    }

    /// One parser, with its document, is kept per thread and used again.
    private static let spare = PerThreadSpare<XMLFastParser>()

    /// Readies a parser, new or used, for a document of `count` bytes; `locator` when positions
    /// are to be recorded.
    private func start(count: Int, limits: FHIRXMLLimits, locator: XMLStartTagLocator?) {
        document.removeAll()
        failed = false
        self.locator = locator
        narrativeStart = nil
        maxDepth = limits.maxDepth
        // A document no longer than the string limit cannot hold a string over it: the common
        // case pays nothing for the check.
        maxStringBytes = count > limits.maxStringBytes ? limits.maxStringBytes : nil
        textRun = 0
        open.removeAll(keepingCapacity: true)
        xhtml.removeAll(keepingCapacity: true)
        padding = count <= Self.maxPaddedBytes ? Self.trailingBlanks : 0
        // Names and namespace URIs are interned in the context's dictionary, which may be a new one.
        names.update(repeating: NameSlot(), count: Self.nameSlots)
        fhirURI = nil
        xhtmlURI = nil
    }

    /// Parses `bytes` and returns what `body` makes of the document, or nil when the fast path
    /// should leave them to the full parse. The document is the parser's, to be used again: it
    /// must not outlive `body`.
    /// - Parameter positions: record each node's line and column, and each narrative's place in
    ///   `bytes`, as the DOM parse reports them (``XMLFastDocument/positions``); a document that
    ///   libxml2 reads through an encoding conversion is then left to the full parse.
    static func withDocument<Result>(
        _ bytes: UnsafeRawBufferPointer, limits: FHIRXMLLimits, positions: Bool = false,
        _ body: (XMLFastDocument) -> Result?
    ) -> Result? {
        // A NUL byte ends libxml2's input: the full parse refuses the document and says where.
        guard bytes.count <= limits.maxDocumentBytes, bytes.count <= Int(Int32.max) - trailingBlanks,
            let base = bytes.baseAddress, bytes.count > 0, memchr(base, 0, bytes.count) == nil
        else { return nil }
        let parser = spare.take() ?? XMLFastParser()
        defer { spare.give(parser, holding: parser.document.bytesHeld) }
        guard let context = parser.context() else { return nil }
        defer { context.pointee._private = nil }
        let input = withoutStandardDeclaration(bytes)
        parser.start(
            count: bytes.count, limits: limits,
            locator: positions ? XMLStartTagLocator(source: bytes, shift: bytes.count - input.count) : nil)
        let document = withExtendedLifetime(parser) { () -> XMLFastDocument? in
            context.pointee._private = Unmanaged.passUnretained(parser).toOpaque()
            guard let sax = context.pointee.sax else { return nil }
            sax.update(repeating: xmlSAXHandler(), count: 1)
            sax.pointee.initialized = UInt32(XML_SAX2_MAGIC)
            sax.pointee.startElementNs = fastStartElement
            sax.pointee.endElementNs = fastEndElement
            sax.pointee.characters = fastCharacters
            sax.pointee.cdataBlock = fastCharacters
            sax.pointee.internalSubset = fastRefuse
            sax.pointee.reference = fastReference
            sax.pointee.serror = fastError
            let tree = read(context, input, padding: parser.padding)
            if let tree { xmlFreeDoc(tree) }
            guard !parser.failed, context.pointee.wellFormed == 1, parser.nodes.count > 0 else { return nil }
            return parser.document
        }
        return document.flatMap(body)
    }

    /// The declarations that say only what libxml2 assumes without one (XML 1.0, UTF-8), as the
    /// writers and most systems write them.
    private static let standardDeclarations: [[UInt8]] = [
        #"<?xml version="1.0" encoding="UTF-8"?>"#, #"<?xml version="1.0" encoding="utf-8"?>"#,
        "<?xml version='1.0' encoding='UTF-8'?>", #"<?xml version="1.0"?>"#,
    ].map { Array($0.utf8) }

    /// `bytes` without a leading standard XML declaration: reading one cost libxml2 0.7% of
    /// converting a small document (the version, the encoding name and its handler's lookup), and
    /// leaving it out changes nothing (the fast path reports no positions; a document it gives
    /// up on is parsed again whole; positions, when asked for, are counted in the document as
    /// given). Kept when a processing instruction follows it: a second
    /// declaration is an error only while the first is there.
    private static func withoutStandardDeclaration(_ bytes: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        guard bytes.count > 21, bytes[5] == UInt8(ascii: " ") else { return bytes }
        for declaration in standardDeclarations
        where bytes.count > declaration.count && bytes.starts(with: declaration) {
            let rest = UnsafeRawBufferPointer(rebasing: bytes[declaration.count...])
            let isBlank = { (byte: UInt8) in byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }
            guard let start = rest.firstIndex(where: { !isBlank($0) }), rest[start] == UInt8(ascii: "<"),
                start + 1 < rest.count, rest[start + 1] != UInt8(ascii: "?")
            else { return bytes }
            return rest
        }
        return bytes
    }

    /// Blanks parsed after a small document (see ``read(_:_:padding:)``).
    static let trailingBlanks = 256
    /// Documents up to this size are padded; past it the copy would cost more than it saves.
    static let maxPaddedBytes = 64 << 10

    /// Runs the parse over `bytes`, padded when `padding` is not 0. libxml2 (2.9) asks its input
    /// for more bytes at almost every token in the last 250 bytes of a document (`INPUT_CHUNK`):
    /// 65 calls for a 1.5 KB resource, 7% of reading it. Blanks after the root element are allowed
    /// and change nothing (and add nothing a malformed document could end with to become
    /// well-formed), so a small document is parsed with `padding` spaces after it, and those checks
    /// stay on their fast path; the parse stops at the end of the root element
    /// (``stopAtRootEnd(_:)``), before the padding.
    private static func read(
        _ context: xmlParserCtxtPtr, _ bytes: UnsafeRawBufferPointer, padding: Int
    ) -> xmlDocPtr? {
        let options = XMLParseOptions.hardened.rawValue
        guard padding > 0 else {
            return xmlCtxtReadMemory(
                context, bytes.baseAddress!.assumingMemoryBound(to: CChar.self), Int32(bytes.count),
                nil, nil, options)
        }
        return withUnsafeTemporaryAllocation(byteCount: bytes.count + padding, alignment: 1) { padded in
            padded.copyMemory(from: bytes)
            let blanks = UnsafeMutableRawBufferPointer(rebasing: padded[bytes.count...])
            blanks.initializeMemory(as: UInt8.self, repeating: UInt8(ascii: " "))
            return xmlCtxtReadMemory(
                context, padded.baseAddress!.assumingMemoryBound(to: CChar.self), Int32(padded.count),
                nil, nil, options)
        }
    }

    /// Runs `body` with the parser of a context, without retaining it (it is kept alive by
    /// `withDocument` for the whole parse): a retain and a release per SAX event were a few
    /// percent of reading a document.
    @inline(__always) fileprivate static func with(_ context: UnsafeMutableRawPointer?, _ body: (XMLFastParser) -> Void)
    {
        guard let context else { return }
        let ctxt = context.assumingMemoryBound(to: xmlParserCtxt.self)
        guard let opaque = ctxt.pointee._private else { return }
        Unmanaged<XMLFastParser>.fromOpaque(opaque)._withUnsafeGuaranteedRef(body)
    }

    fileprivate func fail(_ context: UnsafeMutableRawPointer?) {
        failed = true
        if let context { xmlStopParser(context.assumingMemoryBound(to: xmlParserCtxt.self)) }
    }

    // MARK: Namespaces

    @inline(__always) private func isFHIR(_ uri: UnsafePointer<xmlChar>?) -> Bool {
        guard let uri else { return false }
        if uri == fhirURI { return true }
        guard strcmp(UnsafeRawPointer(uri).assumingMemoryBound(to: CChar.self), "http://hl7.org/fhir") == 0 else {
            return false
        }
        fhirURI = uri
        return true
    }

    @inline(__always) private func isXHTML(_ uri: UnsafePointer<xmlChar>?) -> Bool {
        guard let uri else { return false }
        if uri == xhtmlURI { return true }
        guard strcmp(UnsafeRawPointer(uri).assumingMemoryBound(to: CChar.self), "http://www.w3.org/1999/xhtml") == 0
        else { return false }
        xhtmlURI = uri
        return true
    }

    @inline(__always) private func sameNamespace(_ lhs: UnsafePointer<xmlChar>?, _ rhs: UnsafePointer<xmlChar>?) -> Bool
    {
        if lhs == rhs { return true }
        guard let lhs, let rhs else { return false }
        return strcmp(
            UnsafeRawPointer(lhs).assumingMemoryBound(to: CChar.self),
            UnsafeRawPointer(rhs).assumingMemoryBound(to: CChar.self)) == 0
    }

    // MARK: Events

    fileprivate func startElement(
        _ context: UnsafeMutableRawPointer?, _ name: UnsafePointer<xmlChar>,
        _ uri: UnsafePointer<xmlChar>?, _ attributeCount: Int,
        _ attributes: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?
    ) {
        // The depth limit counts every element, the narrative's included, as the tree builder does.
        guard open.count + xhtml.count < maxDepth else { return fail(context) }
        if let maxStringBytes {
            textRun = 0
            // Values as written (`&#38;` not yet decoded): never shorter than the value itself.
            for index in 0..<attributeCount {
                guard let fields = attributes.map({ $0 + index * 5 }), let value = fields[3], let end = fields[4] else {
                    continue
                }
                if end - value > maxStringBytes { return fail(context) }
            }
        }
        if !xhtml.isEmpty {
            startXHTML(name, uri, attributeCount, attributes)
            return
        }
        let nameSpan = span(ofName: name)
        let nameLength = Int(nameSpan.length)
        // FHIR's namespace first: for almost every element the pointer comparison settles it.
        let isFHIRElement = isFHIR(uri)
        if !isFHIRElement && isXHTML(uri) {
            // A narrative: serialized whole into the arena; its node is a leaf.
            guard !open.isEmpty, nameLength == 3, name[0] == UInt8(ascii: "d"), name[1] == UInt8(ascii: "i"),
                name[2] == UInt8(ascii: "v")
            else { return fail(context) }
            var node = XMLFastDocument.Node(name: nameSpan, namespace: .xhtml)
            node.end = Int32(nodes.count + 1)
            if locator != nil {
                guard let start = recordPosition(context) else { return fail(context) }
                narrativeStart = start
            }
            nodes.append(node)
            xhtmlStart = arena.count
            startXHTML(name, uri, attributeCount, attributes)
            return
        }
        guard isFHIRElement else { return fail(context) }
        var node = XMLFastDocument.Node(name: nameSpan, namespace: .fhir)
        if let attributes, attributeCount > 0 {
            node.hasAnyAttribute = true
            for index in 0..<attributeCount {
                let fields = attributes + index * 5  // localname, prefix, URI, value, end
                guard let localName = fields[0], let value = fields[3], let end = fields[4] else { continue }
                if fields[2] != nil { continue }  // namespaced (xml:lang, xsi:…): not FHIR content
                let text = UnsafeBufferPointer(start: value, count: end - value)
                guard let span = storeAttribute(text) else { return fail(context) }
                // Byte by byte, each compared only while the name has not ended (a strcmp call cost
                // more than the comparison).
                switch (localName[0], localName[1]) {
                case (UInt8(ascii: "v"), UInt8(ascii: "a"))
                where localName[2] == UInt8(ascii: "l")
                    && localName[3] == UInt8(ascii: "u") && localName[4] == UInt8(ascii: "e") && localName[5] == 0:
                    node.value = span
                case (UInt8(ascii: "i"), UInt8(ascii: "d")) where localName[2] == 0: node.id = span
                case (UInt8(ascii: "u"), UInt8(ascii: "r"))
                where localName[2] == UInt8(ascii: "l") && localName[3] == 0:
                    node.url = span
                default: node.hasOtherAttribute = true
                }
            }
        }
        if locator != nil && recordPosition(context) == nil { return fail(context) }
        open.append(nodes.count)
        nodes.append(node)
    }

    /// Records the position of the start tag the parser has just read, for the node about to be
    /// appended; returns the offset of its `<` in the document, or nil when it cannot be
    /// counted in the document as given (the caller then leaves the document to the full parse).
    private func recordPosition(_ context: UnsafeMutableRawPointer?) -> Int? {
        guard let context else { return nil }
        let ctxt = context.assumingMemoryBound(to: xmlParserCtxt.self)
        guard let input = ctxt.pointee.input, let tag = locator?.startTag(ctxt), let offset = tag.offset else {
            return nil
        }
        positions.append(XMLFastDocument.Position(line: input.pointee.line, column: Int32(clamping: tag.column)))
        return offset
    }

    /// Where an element name is in the arena. libxml2 interns names in its dictionary, so a name
    /// met before in this document comes with the same pointer, and its bytes are stored once
    /// (a `strlen` and a copy per element: 0.4% of converting XML to JSON).
    @inline(__always) private func span(ofName name: UnsafePointer<xmlChar>) -> XMLFastDocument.Span {
        let slot = names + (Int(bitPattern: name) >> 3) & (Self.nameSlots - 1)
        if slot.pointee.name == name { return slot.pointee.span }
        let length = strlen(UnsafeRawPointer(name).assumingMemoryBound(to: CChar.self))
        let span = store(UnsafeBufferPointer(start: name, count: length))
        slot.pointee = NameSlot(name: name, span: span)
        return span
    }

    /// Appends bytes to the arena and returns where they are.
    @inline(__always) private func store(_ bytes: UnsafeBufferPointer<UInt8>) -> XMLFastDocument.Span {
        XMLFastDocument.store(bytes, in: arena)
    }

    /// Stores an attribute value as the DOM would hold it. libxml2 hands SAX an `&` as `&#38;`
    /// when entities are not substituted (its tree builder decodes it later); anything else
    /// after `&` is left to the full parse.
    private func storeAttribute(_ text: UnsafeBufferPointer<UInt8>) -> XMLFastDocument.Span? {
        // memchr: a byte loop here was 1% of converting XML to JSON.
        guard let base = text.baseAddress, memchr(base, Int32(UInt8(ascii: "&")), text.count) != nil else {
            return store(text)
        }
        let start = arena.count
        var index = 0
        while index < text.count {
            let byte = text[index]
            if byte == UInt8(ascii: "&") {
                guard index + 4 < text.count, text[index + 1] == UInt8(ascii: "#"),
                    text[index + 2] == UInt8(ascii: "3"),
                    text[index + 3] == UInt8(ascii: "8"), text[index + 4] == UInt8(ascii: ";")
                else { return nil }
                arena.append(UInt8(ascii: "&"))
                index += 5
            } else {
                arena.append(byte)
                index += 1
            }
        }
        return XMLFastDocument.Span(start: Int32(start), length: Int32(arena.count - start))
    }

    fileprivate func endElement(_ context: UnsafeMutableRawPointer?, _ name: UnsafePointer<xmlChar>) {
        textRun = 0
        if !xhtml.isEmpty {
            endXHTML(context, name, selfClosing: Self.endsSelfClosing(context))
            return
        }
        guard let index = open.popLast() else { return }
        nodes[index].end = Int32(nodes.count)
        if open.isEmpty && padding > 0 { stopAtRootEnd(context) }
    }

    /// At the end of the root element of a padded document: when nothing but blanks follows
    /// (the padding, and any the document itself ends with), the document is complete and
    /// well-formed, and the parse stops rather than step over the padding byte by byte (which
    /// cost a third of what the padding saved). Anything else after the root is left to libxml2,
    /// which reports it.
    private func stopAtRootEnd(_ context: UnsafeMutableRawPointer?) {
        guard let context else { return }
        let ctxt = context.assumingMemoryBound(to: xmlParserCtxt.self)
        guard let input = ctxt.pointee.input, let cursor = input.pointee.cur, let end = input.pointee.end,
            end - cursor >= padding
        else { return }
        var byte = cursor
        while byte < end - padding {
            switch byte.pointee {
            case 0x20, 0x09, 0x0A, 0x0D: byte += 1
            default: return
            }
        }
        xmlStopParser(ctxt)
    }

    fileprivate func characters(_ context: UnsafeMutableRawPointer?, _ text: UnsafeBufferPointer<UInt8>) {
        guard !text.isEmpty else { return }
        if let maxStringBytes {
            // libxml2 may hand one text node over in several pieces.
            textRun += text.count
            if textRun > maxStringBytes { return fail(context) }
        }
        if !xhtml.isEmpty {
            openXHTMLContent()
            appendEscaped(text, inAttribute: false)
            return
        }
        // FHIR carries values in attributes; only whitespace may sit between elements.
        for byte in text where !(byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D) {
            return fail(context)
        }
    }

    // MARK: Narrative

    /// Writes an XHTML start tag as `XMLSerializer` writes the tree the full parse builds: a
    /// default namespace declaration where the namespace changes, attributes in document order,
    /// `xml:` for the XML namespace, other namespaces declared in place with their prefix.
    private func startXHTML(
        _ name: UnsafePointer<xmlChar>, _ uri: UnsafePointer<xmlChar>?, _ attributeCount: Int,
        _ attributes: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?
    ) {
        let parentNamespace = xhtml.last?.namespace
        if !xhtml.isEmpty { openXHTMLContent() }
        arena.append(UInt8(ascii: "<"))
        appendCString(name)
        if xhtml.isEmpty || !sameNamespace(uri, parentNamespace) {
            arena.append(" xmlns=\"")
            if let uri { appendEscaped(cBuffer(uri), inAttribute: true) }
            arena.append(UInt8(ascii: "\""))
        }
        if let attributes {
            var extraPrefixes = 0
            for index in 0..<attributeCount {
                let fields = attributes + index * 5
                guard let localName = fields[0], let value = fields[3], let end = fields[4] else { continue }
                arena.append(UInt8(ascii: " "))
                if let attributeURI = fields[2] {
                    if strcmp(cString(attributeURI), "http://www.w3.org/XML/1998/namespace") == 0 {
                        arena.append("xml:")
                    } else {
                        extraPrefixes += 1
                        let prefix = fields[1].map { String(cString: $0) } ?? "ns\(extraPrefixes)"
                        arena.append("xmlns:")
                        arena.appendString(prefix)
                        arena.append("=\"")
                        appendEscaped(cBuffer(attributeURI), inAttribute: true)
                        arena.append("\" ")
                        arena.appendString(prefix)
                        arena.append(UInt8(ascii: ":"))
                    }
                }
                appendCString(localName)
                arena.append("=\"")
                appendAttributeValue(UnsafeBufferPointer(start: value, count: end - value))
                arena.append(UInt8(ascii: "\""))
            }
        }
        xhtml.append(XHTMLElement(namespace: uri, hasChildren: false))
    }

    /// Closes the start tag of the innermost XHTML element before its first child.
    @inline(__always) private func openXHTMLContent() {
        guard let last = xhtml.indices.last, !xhtml[last].hasChildren else { return }
        xhtml[last].hasChildren = true
        arena.append(UInt8(ascii: ">"))
    }

    /// Whether the element ending now was written `<p/>`: the parser stands just after its `/>`.
    private static func endsSelfClosing(_ context: UnsafeMutableRawPointer?) -> Bool {
        guard let context else { return true }
        let ctxt = context.assumingMemoryBound(to: xmlParserCtxt.self)
        guard let input = ctxt.pointee.input, let base = input.pointee.base, let cursor = input.pointee.cur,
            cursor - base >= 2
        else { return true }
        return (cursor - 2).pointee == UInt8(ascii: "/") && (cursor - 1).pointee == UInt8(ascii: ">")
    }

    private func endXHTML(_ context: UnsafeMutableRawPointer?, _ name: UnsafePointer<xmlChar>, selfClosing: Bool) {
        guard let element = xhtml.popLast() else { return }
        if !element.hasChildren && !selfClosing { arena.append(UInt8(ascii: ">")) }
        if element.hasChildren || !selfClosing {
            arena.append("</")
            appendCString(name)
            arena.append(UInt8(ascii: ">"))
        } else {
            arena.append("/>")
        }
        if xhtml.isEmpty {
            let index = nodes.count - 1
            nodes[index].xhtml = XMLFastDocument.Span(
                start: Int32(xhtmlStart), length: Int32(arena.count - xhtmlStart))
            if let start = narrativeStart, let context {
                let ctxt = context.assumingMemoryBound(to: xmlParserCtxt.self)
                if let end = locator?.offset(ctxt) { document.narrativeSources[index] = start..<end }
                narrativeStart = nil
            }
        }
    }

    /// An attribute value inside the narrative, `&#38;` decoded first (see ``storeAttribute(_:)``).
    private func appendAttributeValue(_ text: UnsafeBufferPointer<UInt8>) {
        guard text.contains(UInt8(ascii: "&")) else { return appendEscaped(text, inAttribute: true) }
        var decoded: [UInt8] = []
        var index = 0
        while index < text.count {
            if text[index] == UInt8(ascii: "&"), index + 4 < text.count, text[index + 1] == UInt8(ascii: "#"),
                text[index + 2] == UInt8(ascii: "3"), text[index + 3] == UInt8(ascii: "8"),
                text[index + 4] == UInt8(ascii: ";")
            {
                decoded.append(UInt8(ascii: "&"))
                index += 5
            } else {
                decoded.append(text[index])
                index += 1
            }
        }
        decoded.withUnsafeBufferPointer { appendEscaped($0, inAttribute: true) }
    }

    /// `XMLSerializer`'s escaping: markup characters, and in attributes quotes and the
    /// whitespace that attribute-value normalization would turn into spaces.
    private func appendEscaped(_ text: UnsafeBufferPointer<UInt8>, inAttribute: Bool) {
        var runStart = 0
        for index in 0..<text.count {
            let byte = text[index]
            let escape: StaticString
            switch byte {
            case UInt8(ascii: "&"): escape = "&amp;"
            case UInt8(ascii: "<"): escape = "&lt;"
            case UInt8(ascii: ">"): escape = "&gt;"
            case 0x0D: escape = "&#13;"
            case UInt8(ascii: "\"") where inAttribute: escape = "&quot;"
            case 0x0A where inAttribute: escape = "&#10;"
            case 0x09 where inAttribute: escape = "&#9;"
            default: continue
            }
            arena.append(UnsafeBufferPointer(rebasing: text[runStart..<index]))
            arena.append(escape)
            runStart = index + 1
        }
        arena.append(UnsafeBufferPointer(rebasing: text[runStart..<text.count]))
    }

    private func appendCString(_ text: UnsafePointer<xmlChar>) { arena.append(cBuffer(text)) }
}

@inline(__always) private func cString(_ text: UnsafePointer<xmlChar>) -> UnsafePointer<CChar> {
    UnsafeRawPointer(text).assumingMemoryBound(to: CChar.self)
}

@inline(__always) private func cBuffer(_ text: UnsafePointer<xmlChar>) -> UnsafeBufferPointer<UInt8> {
    UnsafeBufferPointer(start: text, count: strlen(cString(text)))
}

private let fastStartElement: startElementNsSAX2Func = {
    context, localName, _, uri, _, _, attributeCount, _, attributes in
    guard let localName else { return }
    XMLFastParser.with(context) { $0.startElement(context, localName, uri, Int(attributeCount), attributes) }
}

private let fastEndElement: endElementNsSAX2Func = { context, localName, _, _ in
    guard let localName else { return }
    XMLFastParser.with(context) { $0.endElement(context, localName) }
}

private let fastCharacters: charactersSAXFunc = { context, text, length in
    guard let text else { return }
    XMLFastParser.with(context) { $0.characters(context, UnsafeBufferPointer(start: text, count: Int(length))) }
}

/// A DOCTYPE, an entity reference or any error: the full parse takes over (and reports it).
private let fastRefuse: internalSubsetSAXFunc = { context, _, _, _ in XMLFastParser.with(context) { $0.fail(context) } }
private let fastReference: referenceSAXFunc = { context, _ in XMLFastParser.with(context) { $0.fail(context) } }
private let fastError: xmlStructuredErrorFunc = { context, _ in XMLFastParser.with(context) { $0.fail(context) } }
