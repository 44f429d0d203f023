public import FHIRCore

/// Reads a FHIR XML Bundle entry by entry, so memory is bounded by one entry rather than the
/// document (libxml2's `xmlTextReader` with subtree expansion).
///
/// ```swift
/// let stream = try FHIRXMLBundleStream(path: "big-bundle.xml")
/// while let item = try stream.next() {
///     print(item.index, item.entry.resource?.resourceType ?? "-")
/// }
/// ```
///
/// Bundle-level elements (`id`, `meta`, `type`, `link`…) are skipped. The same hardening as
/// ``FHIRXMLDecoder`` applies (no DOCTYPE, no entities, no network, depth limit), and each
/// entry is limited to ``FHIRXMLLimits/maxEntryBytes``; there is no limit on the whole file.
/// One stream belongs to one thread at a time.
public final class FHIRXMLBundleStream {
    /// One `Bundle.entry` and its position.
    public struct Item: Sendable {
        /// The 0-based index of the entry in the Bundle.
        public let index: Int
        /// The decoded entry.
        public let entry: Bundle.Entry
        /// The line of the `<entry>` start tag.
        public let line: Int
    }

    private let reader: XMLBundleReader
    private let decoder: FHIRXMLDecoder
    private var index = 0

    /// Streams a Bundle held in memory.
    /// - Parameters:
    ///   - bytes: the XML document.
    ///   - decoder: strictness and limits used for each entry.
    /// - Throws: ``FHIRDiagnostic`` when the input cannot be opened.
    public init(bytes: [UInt8], decoder: FHIRXMLDecoder = FHIRXMLDecoder()) throws(FHIRDiagnostic) {
        reader = try XMLBundleReader(bytes: bytes, limits: decoder.limits)
        self.decoder = decoder
    }

    /// Streams a Bundle from a file, reading it incrementally.
    /// - Throws: ``FHIRDiagnostic`` when the file cannot be opened.
    public init(path: String, decoder: FHIRXMLDecoder = FHIRXMLDecoder()) throws(FHIRDiagnostic) {
        reader = try XMLBundleReader(path: path, limits: decoder.limits)
        self.decoder = decoder
    }

    /// The next entry, or nil after the last.
    /// - Throws: ``FHIRDiagnostic`` for malformed XML (with line and column) or an invalid entry
    ///   (with its FHIRPath, e.g. `Bundle.entry[3].resource.ofType(MedicationRequest).status`),
    ///   or an entry past a limit (``FHIRXMLLimits``: entry size, depth, string length, the
    ///   number of entries). Malformed XML is thrown after every entry before it (those libxml2
    ///   read ahead of the reader too), and the stream is finished; after an entry that is
    ///   refused the next call reads the following entry.
    public func next() throws(FHIRDiagnostic) -> Item? {
        guard let expanded = try reader.nextExpandedEntry() else { return nil }
        defer { index += 1 }
        if let refusal = BundleEntryLimits.refusal(of: expanded, index: index, limits: decoder.limits) { throw refusal }
        if decoder.useFastPath, let document = expanded.fastDocument(),
            let entry = XMLFastReader.decode(Bundle.Entry.self, from: document)
        {
            return Item(index: index, entry: entry, line: expanded.line)
        }
        let element = try expanded.element()
        var base = FHIRPathBuilder(root: "Bundle")
        base.append(element: "entry")
        base.append(index: index)
        let entry = try decoder.decode(Bundle.Entry.self, root: element, basePath: base).value
        return Item(index: index, entry: entry, line: element.line)
    }
}
