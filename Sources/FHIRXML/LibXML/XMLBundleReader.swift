internal import CLibXML2
import FHIRCore

/// Walks a FHIR XML Bundle with libxml2's `xmlTextReader`, expanding one `<entry>` at a time.
///
/// The reader frees the nodes it has moved past, so memory holds the current entry, not the
/// document. The reader and the input copy are owned here and freed in `deinit`.
///
/// libxml2 parses ahead of the reader (a block of input at a time), so a malformed part stops
/// it while the entries before that part, already parsed to their end tags, lie unread in the
/// tree. Those entries are handed out first (see ``Salvage``); then the error is thrown.
final class XMLBundleReader {
    private let reader: xmlTextReaderPtr
    /// A copy of in-memory input: libxml2 reads from it for the reader's whole life.
    private let buffer: UnsafeMutableRawBufferPointer?
    private let log = XMLIssueLog()
    private let limits: FHIRXMLLimits
    private var started = false
    private var finished = false
    /// Set when a malformed part has stopped libxml2: what is left to hand out before its error.
    private var salvage: Salvage?

    /// The entries libxml2 had read in full before a malformed part, not handed out yet, and the
    /// error that follows them.
    private struct Salvage {
        /// The next node of the Bundle's top level to look at, and its size when known.
        var next: UnsafeMutablePointer<xmlNode>?
        var sizeOfNext: Int?
        /// The elements open when the parser stopped: the first entry among them is the broken one.
        let open: Set<UnsafeMutableRawPointer>
        let error: FHIRDiagnostic
    }

    /// Reads from bytes (copied once, since libxml2 keeps reading them lazily).
    init(bytes: [UInt8], limits: FHIRXMLLimits) throws(FHIRDiagnostic) {
        XMLLibrary.ensureInitialized()
        let copy = UnsafeMutableRawBufferPointer.allocate(byteCount: max(bytes.count, 1), alignment: 1)
        bytes.withUnsafeBytes { copy.copyMemory(from: $0) }
        guard bytes.count <= Int(Int32.max),
            let reader = xmlReaderForMemory(
                copy.baseAddress?.assumingMemoryBound(to: CChar.self),
                Int32(bytes.count), nil, nil, XMLParseOptions.hardened.rawValue)
        else {
            copy.deallocate()
            throw FHIRDiagnostic(code: .syntax, message: "libxml2 could not open the XML input")
        }
        self.reader = reader
        buffer = copy
        self.limits = limits
        installErrorHandler()
    }

    /// Reads a file, streaming it from disk.
    init(path: String, limits: FHIRXMLLimits) throws(FHIRDiagnostic) {
        XMLLibrary.ensureInitialized()
        guard let reader = xmlReaderForFile(path, nil, XMLParseOptions.hardened.rawValue) else {
            throw FHIRDiagnostic(code: .syntax, message: "cannot open '\(path)' for reading")
        }
        self.reader = reader
        buffer = nil
        self.limits = limits
        installErrorHandler()
    }

    deinit {
        xmlFreeTextReader(reader)
        buffer?.deallocate()
    }

    private func installErrorHandler() {
        // The log lives as long as `self`, which outlives the reader.
        xmlTextReaderSetStructuredErrorHandler(reader, recordReaderError, Unmanaged.passUnretained(log).toOpaque())
    }

    private var location: SourceLocation {
        SourceLocation(
            line: max(Int(xmlTextReaderGetParserLineNumber(reader)), 1),
            column: max(Int(xmlTextReaderGetParserColumnNumber(reader)), 1), byteOffset: 0)
    }

    /// Advances with `step`; a negative result is a parse error.
    private func advance(_ step: (xmlTextReaderPtr) -> Int32) throws(FHIRDiagnostic) -> Bool {
        let result = step(reader)
        if result < 0 || log.firstError != nil {
            throw stop(log.diagnostic(fallback: "malformed XML"), unread: firstUnreadTopLevelNode(arrived: result == 1))
        }
        return result == 1
    }

    /// Ends the reading at a parse error; the entries from `unread` on that libxml2 had parsed
    /// whole before the error are handed out before it.
    /// `sizeOfUnread`: how large `unread` is at most, when it is an entry being expanded.
    private func stop(_ error: FHIRDiagnostic, unread: UnsafeMutablePointer<xmlNode>?, sizeOfUnread: Int? = nil)
        -> FHIRDiagnostic
    {
        finished = true
        if let parse = log.firstErrorStop, let unread, Self.bundleRoot(of: parse.context) != nil {
            salvage = Salvage(next: unread, sizeOfNext: sizeOfUnread, open: parse.open, error: error)
        }
        return error
    }

    /// The parsed document's root when it is a FHIR Bundle (and the document has no DOCTYPE,
    /// which is refused whatever follows).
    private static func bundleRoot(of context: UnsafeMutablePointer<xmlParserCtxt>) -> UnsafeMutablePointer<xmlNode>? {
        guard let document = context.pointee.myDoc, document.pointee.intSubset == nil,
            document.pointee.extSubset == nil, let root = xmlDocGetRootElement(document),
            String(cString: root.pointee.name) == "Bundle",
            root.pointee.ns?.pointee.href.map({ String(cString: $0) }) == XMLNamespace.fhir
        else { return nil }
        return root
    }

    /// The first node of the Bundle's top level that has not been looked at, once an error has
    /// stopped the reader. Every top-level node before the reader's has been (the reader frees
    /// them as it passes), and so has the reader's own, unless the failing step (`arrived`) has
    /// just moved the reader onto it.
    private func firstUnreadTopLevelNode(arrived: Bool) -> UnsafeMutablePointer<xmlNode>? {
        guard let parse = log.firstErrorStop, let root = Self.bundleRoot(of: parse.context) else { return nil }
        let atEnd = xmlReaderTypes(rawValue: UInt32(nodeType)) == XML_READER_TYPE_END_ELEMENT
        guard let current = xmlTextReaderCurrentNode(reader), current != root else {
            return atEnd ? nil : root.pointee.children  // at the Bundle's start, or before it
        }
        var top = current
        while let parent = top.pointee.parent, parent != root { top = parent }
        guard top.pointee.parent == root else { return nil }  // after the Bundle
        return arrived && top == current && !atEnd ? top : top.pointee.next
    }

    /// The next entry libxml2 had parsed whole before the malformed part, or the error at the end.
    private func nextSalvaged() throws(FHIRDiagnostic) -> ExpandedEntry? {
        guard var pending = salvage else { return nil }
        while let node = pending.next {
            let size = pending.sizeOfNext
            pending.next = node.pointee.next
            pending.sizeOfNext = nil
            guard node.pointee.type == XML_ELEMENT_NODE else { continue }
            // The element the parser stopped in ends what was read, whatever it is.
            guard !pending.open.contains(UnsafeMutableRawPointer(node)) else { break }
            guard String(cString: node.pointee.name) == "entry" else { continue }
            salvage = pending
            return entry(node, size: size, column: 1)
        }
        salvage = nil
        throw pending.error
    }

    private var nodeType: Int32 { xmlTextReaderNodeType(reader) }
    private var depth: Int32 { xmlTextReaderDepth(reader) }
    private var localName: String { xmlTextReaderConstLocalName(reader).map { String(cString: $0) } ?? "" }

    /// Moves to the root element and checks it is a FHIR Bundle.
    private func start() throws(FHIRDiagnostic) {
        started = true
        while try advance(xmlTextReaderRead) {
            switch xmlReaderTypes(rawValue: UInt32(nodeType)) {
            case XML_READER_TYPE_DOCUMENT_TYPE:
                finished = true
                throw FHIRDiagnostic(
                    code: .syntax,
                    message: "malformed XML: a DOCTYPE is not allowed in FHIR XML (DTDs and entity declarations"
                        + " are refused for safety)",
                    location: location)
            case XML_READER_TYPE_ELEMENT:
                let namespace = xmlTextReaderConstNamespaceUri(reader).map { String(cString: $0) }
                guard localName == "Bundle", namespace == XMLNamespace.fhir else {
                    finished = true
                    throw FHIRDiagnostic(
                        code: .invalidValue,
                        message:
                            "expected a FHIR <Bundle xmlns=\"\(XMLNamespace.fhir)\"> but the root is <\(localName)>",
                        location: location)
                }
                if xmlTextReaderIsEmptyElement(reader) == 1 { finished = true }
                return
            default:
                continue
            }
        }
        finished = true
    }

    /// One expanded `<entry>`: read it with the fast path, or as a tree for the full decoder. Both
    /// read libxml2's nodes, so they must be used before the reader moves on.
    struct ExpandedEntry {
        fileprivate let node: UnsafeMutablePointer<xmlNode>
        fileprivate let builder: XMLTreeBuilder
        let line: Int
        /// Why the entry is refused although it is well-formed (over the entry size limit); the
        /// reader can go on to the next entry.
        let problem: FHIRDiagnostic?

        /// The entry as a flat document for the fast path, or nil when it needs the full path.
        func fastDocument() -> XMLFastDocument? {
            XMLFastTreeReader.document(from: node, maxDepth: builder.maxDepth, maxStringBytes: builder.maxStringBytes)
        }

        /// The entry as a tree (the entry sits at depth 2; Bundle is 1).
        func element() throws(FHIRDiagnostic) -> XMLElement { try builder.element(from: node, depth: 2) }

        /// Whether an element of the entry lies deeper than the tree builder allows (the entry
        /// sits at depth 2); ``element()`` then throws the error that names it.
        func exceedsDepth() -> Bool {
            func deepest(_ node: UnsafeMutablePointer<xmlNode>, _ depth: Int) -> Bool {
                guard depth <= builder.maxDepth else { return true }
                var child = node.pointee.children
                while let current = child {
                    if current.pointee.type == XML_ELEMENT_NODE && deepest(current, depth + 1) { return true }
                    child = current.pointee.next
                }
                return false
            }
            return deepest(node, 2)
        }

        /// The column of the `<entry>` start tag (as the tree builder reports it).
        var column: Int { builder.fallbackColumn }
    }

    /// The next `<entry>` of the Bundle, expanded, or nil at the end.
    /// - Throws: ``FHIRDiagnostic`` for malformed XML, after the entries before it.
    func nextExpandedEntry() throws(FHIRDiagnostic) -> ExpandedEntry? {
        if salvage != nil { return try nextSalvaged() }
        do {
            return try readNextEntry()
        } catch {
            guard salvage != nil else { throw error }
            return try nextSalvaged()
        }
    }

    private func readNextEntry() throws(FHIRDiagnostic) -> ExpandedEntry? {
        if !started { try start() }
        guard !finished else { return nil }
        // From the root (first call) or the end of the previous entry, step to the next node.
        guard try advance(xmlTextReaderRead) else {
            finished = true
            return nil
        }
        while true {
            let type = xmlReaderTypes(rawValue: UInt32(nodeType))
            if type == XML_READER_TYPE_END_ELEMENT && depth == 0 {
                finished = true
                return nil
            }
            if type == XML_READER_TYPE_ELEMENT && depth == 1 {
                if localName == "entry" { return try expandEntry() }
                // Bundle-level elements (id, meta, type, total, link, signature) are skipped.
                guard try advance(xmlTextReaderNext) else { break }
                continue
            }
            guard try advance(xmlTextReaderRead) else { break }
        }
        finished = true
        return nil
    }

    private func expandEntry() throws(FHIRDiagnostic) -> ExpandedEntry {
        let startOffset = Int(xmlTextReaderByteConsumed(reader))
        let column = Int(xmlTextReaderGetParserColumnNumber(reader))
        let parserLine = Int(xmlTextReaderGetParserLineNumber(reader))
        guard let node = xmlTextReaderExpand(reader), log.firstError == nil else {
            // The entry may be whole, and the malformed part after it: it is handed out first then,
            // as large as what libxml2 has read from its start at most.
            throw stop(
                log.diagnostic(fallback: "malformed XML inside a Bundle entry"),
                unread: xmlTextReaderCurrentNode(reader),
                sizeOfUnread: Int(xmlTextReaderByteConsumed(reader)) - startOffset)
        }
        return entry(
            node, size: Int(xmlTextReaderByteConsumed(reader)) - startOffset, column: column, parserLine: parserLine)
    }

    /// An expanded entry of `size` bytes (when known), refused when over the entry size limit: it
    /// is well-formed and behind us, so the next one can still be read.
    /// - Parameter parserLine: the parser's line as the reader stood on the entry's start tag,
    ///   when it did (not for an entry salvaged from before a malformed part).
    private func entry(
        _ node: UnsafeMutablePointer<xmlNode>, size: Int?, column: Int, parserLine: Int? = nil
    ) -> ExpandedEntry {
        var line = Int(xmlGetLineNo(node))
        // libxml2 keeps an element's line in 16 bits: past line 65535 it answers 65535, unless
        // a text node inside carries the line (`XML_PARSE_BIG_LINES`), which compact XML has none
        // of. The parser's own line, where the reader met the start tag, is not bounded; it is
        // the entry's line unless the parser had read past the end of that line (it reads up to
        // 512 bytes ahead, so a later line is given only after entries shorter than that).
        if line == Int(UInt16.max), let parserLine, parserLine > line { line = parserLine }
        var problem: FHIRDiagnostic?
        if let size, size > limits.maxEntryBytes {
            problem = FHIRDiagnostic(
                code: .tooLarge,
                message: "Bundle entry of about \(size) bytes exceeds the limit of \(limits.maxEntryBytes) bytes"
                    + " (FHIRXMLLimits.maxEntryBytes) "
                    + FHIRReadLimits.hint(.maxRecordBytes, value: limits.maxEntryBytes),
                location: SourceLocation(line: max(line, 1), column: max(column, 1), byteOffset: 0))
        }
        var builder = XMLTreeBuilder(limits: limits, fallbackColumn: max(column, 1))
        builder.fallbackLine = line
        return ExpandedEntry(node: node, builder: builder, line: line, problem: problem)
    }
}
