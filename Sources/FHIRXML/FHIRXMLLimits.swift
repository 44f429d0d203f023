/// Bounds on what the XML reader accepts, so hostile or broken input fails fast with a clear
/// error instead of exhausting memory.
///
/// Independent of these, the reader never substitutes entities, never loads a DTD, never goes
/// to the network, and refuses any document with a DOCTYPE. libxml2 itself also stops at 256
/// levels of nesting (no `XML_PARSE_HUGE`). Its 10,000,000-byte text-node cap does not apply to
/// documents parsed from memory, so text size is bounded by ``maxDocumentBytes`` (and, when
/// streaming, ``maxEntryBytes``), not by libxml2.
public struct FHIRXMLLimits: Hashable, Sendable {
    /// The largest document ``FHIRXMLDecoder`` reads at once, in bytes. Default 64 MiB.
    ///
    /// Larger Bundles are read entry by entry with ``FHIRXMLBundleStream``, which has no total
    /// size limit and applies ``maxEntryBytes`` to each entry instead.
    public var maxDocumentBytes: Int
    /// The deepest element nesting accepted, counting the root as 1. Default 100.
    ///
    /// FHIR resources rarely pass 20; narrative XHTML and nested extensions add a few more.
    public var maxDepth: Int
    /// The largest single `Bundle.entry` ``FHIRXMLBundleStream`` accepts, in bytes. Default 16 MiB.
    public var maxEntryBytes: Int

    /// Creates limits; the defaults suit clinical documents.
    public init(maxDocumentBytes: Int = 64 << 20, maxDepth: Int = 100, maxEntryBytes: Int = 16 << 20) {
        self.maxDocumentBytes = maxDocumentBytes
        self.maxDepth = maxDepth
        self.maxEntryBytes = maxEntryBytes
    }

    /// The default limits.
    public static let `default` = FHIRXMLLimits()
}
