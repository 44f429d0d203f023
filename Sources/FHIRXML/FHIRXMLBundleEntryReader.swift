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
/// stream with an error; an entry that is well-formed but not valid FHIR fails only in
/// ``FHIRXMLParsedBundleEntry/decode(lenient:)``, and the reader goes on to the next one.
public final class FHIRXMLBundleEntryReader {
    private let reader: XMLBundleReader
    private let limits: FHIRXMLLimits
    private var index = 0

    /// Streams a Bundle from a file (or a named pipe such as `/dev/fd/3`), reading it incrementally.
    /// - Throws: ``FHIRDiagnostic`` when the file cannot be opened.
    public init(path: String, limits: FHIRXMLLimits = .default) throws(FHIRDiagnostic) {
        reader = try XMLBundleReader(path: path, limits: limits)
        self.limits = limits
    }

    /// The next entry, parsed into a tree but not decoded, or nil after the last.
    /// - Throws: ``FHIRDiagnostic`` for malformed XML, a root that is not a FHIR Bundle, or an
    ///   entry over ``FHIRXMLLimits/maxEntryBytes``. After an error the stream is finished.
    public func next() throws(FHIRDiagnostic) -> FHIRXMLParsedBundleEntry? {
        guard let element = try reader.nextEntry() else { return nil }
        defer { index += 1 }
        return FHIRXMLParsedBundleEntry(index: index, element: element, limits: limits)
    }
}

/// One `<entry>` of a streamed Bundle, parsed and waiting to be decoded.
///
/// `@unchecked Sendable`: the tree inside is built once by the reader and only read afterwards
/// (decoding and serializing never modify it), so it may move to, and be read on, another thread.
public struct FHIRXMLParsedBundleEntry: @unchecked Sendable {
    /// The 0-based index of the entry in the Bundle.
    public let index: Int
    private let element: XMLElement
    private let limits: FHIRXMLLimits

    init(index: Int, element: XMLElement, limits: FHIRXMLLimits) {
        self.index = index
        self.element = element
        self.limits = limits
    }

    /// The line of the `<entry>` start tag.
    public var line: Int { element.line }

    /// The column of the `<entry>` start tag, when the reader knew it (else 1).
    public var column: Int { max(element.column, 1) }

    /// Decodes the entry. Errors carry the FHIRPath from the Bundle
    /// (`Bundle.entry[3].resource.ofType(MedicationRequest).status`) and the line and column.
    /// - Parameter lenient: drop unknown elements and return them as warnings, instead of failing.
    /// - Throws: ``FHIRDiagnostic``.
    public func decode(lenient: Bool) throws(FHIRDiagnostic) -> (entry: Bundle.Entry, dropped: [FHIRDiagnostic]) {
        try decode(lenient: lenient, fastPath: true)
    }

    /// `fastPath: false` runs the full decoder only (the tests compare the two).
    func decode(lenient: Bool, fastPath: Bool) throws(FHIRDiagnostic) -> (entry: Bundle.Entry, dropped: [FHIRDiagnostic]) {
        // The fast path refuses all unknown content, so when it succeeds nothing was dropped.
        if fastPath, let document = XMLFastDocument.from(tree: element),
           let entry = XMLFastReader.decode(Bundle.Entry.self, from: document) {
            return (entry, [])
        }
        var decoder = FHIRXMLDecoder(limits: limits)
        decoder.unknownElements = lenient ? .lenient : .strict
        var base = FHIRPathBuilder(root: "Bundle")
        base.append(element: "entry")
        base.append(index: index)
        let (entry, warnings) = try decoder.decode(Bundle.Entry.self, root: element, basePath: base)
        return (entry, warnings)
    }

    /// The entry as XML text (`<entry xmlns="http://hl7.org/fhir">…</entry>`), written again from
    /// the parsed tree: the content as it came, without comments and with attribute quoting and
    /// namespace declarations normalised. For reporting a rejected entry.
    public func xmlText() -> [UInt8] {
        var serializer = XMLSerializer(pretty: false)
        serializer.write(element, inheritedNamespace: nil, depth: 0)
        return serializer.bytes
    }
}
