public import FHIRCore

/// Reads a FHIR XML Bundle entry by entry, like ``FHIRXMLBundleStream``, but hands back each
/// entry parsed and not yet decoded, so a batch can decode entries on other threads while this
/// reader (which owns libxml2 state and belongs to one thread) reads on.
///
/// ```swift
/// let reader = try FHIRXMLBundleEntryReader(path: "big-bundle.xml")
/// while let parsed = try reader.next() {
///     let (entry, _) = try parsed.decode(lenient: false)   // on any thread
/// }
/// ```
///
/// The hardening and limits are those of ``FHIRXMLBundleStream``. Malformed XML ends the
/// stream with an error, after every entry before it; an entry that is well-formed but not valid FHIR fails only in
/// ``FHIRXMLParsedBundleEntry/decode(lenient:)``, and the reader goes on to the next one.
public final class FHIRXMLBundleEntryReader {
    private let reader: XMLBundleReader
    private let limits: FHIRXMLLimits
    private var index = 0
    /// Whether entries are decoded on the fast path as they are read (tests turn it off).
    var useFastPath = true

    /// Streams a Bundle from a file (or a named pipe such as `/dev/fd/3`), reading it incrementally.
    /// - Throws: ``FHIRDiagnostic`` when the file cannot be opened.
    public init(path: String, limits: FHIRXMLLimits = .default) throws(FHIRDiagnostic) {
        reader = try XMLBundleReader(path: path, limits: limits)
        self.limits = limits
    }

    /// The next entry, parsed into a tree but not decoded, or nil after the last.
    /// - Throws: ``FHIRDiagnostic`` for malformed XML or a root that is not a FHIR Bundle.
    ///   After an error the stream is finished. An entry past a limit (``FHIRXMLLimits``: entry
    ///   size, depth, string length, the number of entries) is not an error here: it comes back
    ///   as an entry whose ``FHIRXMLParsedBundleEntry/decode(lenient:)`` throws why, and the
    ///   stream goes on.
    public func next() throws(FHIRDiagnostic) -> FHIRXMLParsedBundleEntry? {
        guard let expanded = try reader.nextExpandedEntry() else { return nil }
        defer { index += 1 }
        // An entry past a limit is refused on its own; the reader goes on with the next one.
        if let refusal = BundleEntryLimits.refusal(of: expanded, index: index, limits: limits) {
            return FHIRXMLParsedBundleEntry(
                index: index, content: .refused(refusal, line: expanded.line, column: expanded.column), limits: limits)
        }
        // The common entry is decoded here, on the fast path, straight from libxml2's nodes:
        // that costs less than building the Swift tree the full decoder needs, which is built
        // (and decoded on the caller's thread) only for the others. Nesting past the limit
        // sends the entry to the tree builder, which names the element; the entry alone is refused.
        if useFastPath, !expanded.exceedsDepth(), let document = expanded.fastDocument(),
            let entry = XMLFastReader.decode(Bundle.Entry.self, from: document)
        {
            // The document is kept with the entry until it is validated: just what it holds.
            return FHIRXMLParsedBundleEntry(
                index: index,
                content: .decoded(entry, document: document.compacted(), line: expanded.line, column: expanded.column),
                limits: limits)
        }
        do {
            return FHIRXMLParsedBundleEntry(index: index, content: .tree(try expanded.element()), limits: limits)
        } catch {
            // Too deep or a string too long (all the tree builder refuses): this entry only.
            return FHIRXMLParsedBundleEntry(
                index: index,
                content: .refused(
                    BundleEntryLimits.placed(error, index: index, expanded: expanded),
                    line: expanded.line, column: expanded.column),
                limits: limits)
        }
    }
}

/// One `<entry>` of a streamed Bundle, parsed and waiting to be decoded.
///
/// `@unchecked Sendable`: what is inside (a decoded entry and its flat document, or a tree) is
/// built once by the reader and only read afterwards (decoding, serializing and building an element
/// tree never modify it), so it may move to, and be read on, another thread.
public struct FHIRXMLParsedBundleEntry: @unchecked Sendable {
    /// The entry as the reader kept it.
    enum Content {
        /// Decoded already on the fast path (nothing unknown in it, nothing dropped), with the
        /// flat document it was decoded from, which the element model's reader builds its tree
        /// from (``FHIRElementXMLReader/readAsCollectionBundle(_:lenient:)``).
        case decoded(Bundle.Entry, document: XMLFastDocument, line: Int, column: Int)
        /// A tree, for the full decoder.
        case tree(XMLElement)
        /// Refused by a limit (too large, too deep, a string too long, past the last entry
        /// allowed): decoding throws this, which names the entry and its line.
        case refused(FHIRDiagnostic, line: Int, column: Int)
    }

    /// The 0-based index of the entry in the Bundle.
    public let index: Int
    let content: Content
    let limits: FHIRXMLLimits

    init(index: Int, content: Content, limits: FHIRXMLLimits) {
        self.index = index
        self.content = content
        self.limits = limits
    }

    /// The line of the `<entry>` start tag.
    public var line: Int {
        switch content {
        case .decoded(_, _, let line, _): return line
        case .tree(let element): return element.line
        case .refused(_, let line, _): return max(line, 1)
        }
    }

    /// The column of the `<entry>` start tag, when the reader knew it (else 1).
    public var column: Int {
        switch content {
        case .decoded(_, _, _, let column): return max(column, 1)
        case .tree(let element): return max(element.column, 1)
        case .refused(_, _, let column): return max(column, 1)
        }
    }

    /// Why the streaming reader refused the entry (a limit: its size, depth, a string's length, or
    /// past the last entry allowed), or nil. Such an entry has nothing else to read: decoding and
    /// ``FHIRElementXMLReader/readAsCollectionBundle(_:lenient:)`` throw this.
    public var refusal: FHIRDiagnostic? {
        if case .refused(let problem, _, _) = content { return problem }
        return nil
    }

    /// Decodes the entry. Errors carry the FHIRPath from the Bundle
    /// (`Bundle.entry[3].resource.ofType(MedicationRequest).status`) and the line and column.
    /// - Parameter lenient: drop unknown elements and return them as warnings, instead of failing.
    /// - Throws: ``FHIRDiagnostic``.
    public func decode(lenient: Bool) throws(FHIRDiagnostic) -> (entry: Bundle.Entry, dropped: [FHIRDiagnostic]) {
        let element: XMLElement
        switch content {
        case .decoded(let entry, _, _, _): return (entry, [])
        case .tree(let tree): element = tree
        case .refused(let problem, _, _): throw problem
        }
        var decoder = FHIRXMLDecoder(limits: limits)
        decoder.unknownElements = lenient ? .lenient : .strict
        var base = FHIRPathBuilder(root: "Bundle")
        base.append(element: "entry")
        base.append(index: index)
        let (entry, warnings) = try decoder.decode(Bundle.Entry.self, root: element, basePath: base)
        return (entry, warnings)
    }

    /// The entry as XML text (`<entry xmlns="http://hl7.org/fhir">…</entry>`), for reporting a
    /// rejected entry: written again from the parsed tree (the content as it came, without
    /// comments and with attribute quoting and namespace declarations normalised), or, for an
    /// entry the fast path decoded, from the decoded entry (the same content, compact).
    public func xmlText() -> [UInt8] {
        switch content {
        case .decoded(let entry, _, _, _):
            return XMLFastWriter.encodeElement("entry", entry) ?? []
        case .refused:
            return []  // not kept: it may be huge, and the reason names its line
        case .tree(let element):
            var serializer = XMLSerializer(pretty: false)
            serializer.write(element, inheritedNamespace: nil, depth: 0)
            return serializer.bytes
        }
    }
}

/// The limits a streamed Bundle applies to each entry before decoding it.
enum BundleEntryLimits {
    /// Why an expanded entry is refused (past ``FHIRXMLLimits/maxBundleEntries``, or over
    /// ``FHIRXMLLimits/maxEntryBytes``), or nil.
    static func refusal(of expanded: XMLBundleReader.ExpandedEntry, index: Int, limits: FHIRXMLLimits)
        -> FHIRDiagnostic?
    {
        if index >= limits.maxBundleEntries {
            return FHIRReadLimits.exceeded(
                .maxBundleEntries, value: limits.maxBundleEntries,
                "Bundle.entry[\(index)] is past the most entries a Bundle may hold", fhirPath: "Bundle.entry[\(index)]",
                location: SourceLocation(line: max(expanded.line, 1), column: expanded.column, byteOffset: 0))
        }
        guard let problem = expanded.problem else { return nil }
        return placed(problem, index: index, expanded: expanded)
    }

    /// A diagnostic about a whole entry, with the entry's FHIRPath and line when it has none.
    static func placed(_ diagnostic: FHIRDiagnostic, index: Int, expanded: XMLBundleReader.ExpandedEntry)
        -> FHIRDiagnostic
    {
        var placed = diagnostic
        if placed.fhirPath == nil { placed.fhirPath = "Bundle.entry[\(index)]" }
        if placed.location == nil {
            placed.location = SourceLocation(line: max(expanded.line, 1), column: expanded.column, byteOffset: 0)
        }
        return placed
    }
}
