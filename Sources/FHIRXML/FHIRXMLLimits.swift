public import FHIRCore

/// Bounds on what the XML reader accepts, so hostile or broken input fails fast with a clear
/// error instead of exhausting memory. Usually built from the limits every reader shares,
/// ``FHIRReadLimits``, with ``init(_:)``.
///
/// Independent of these, the reader never substitutes entities, never loads a DTD, never goes
/// to the network, and refuses any document with a DOCTYPE. libxml2 itself also stops at 256
/// levels of nesting (no `XML_PARSE_HUGE`). Its 10,000,000-byte text-node cap does not apply to
/// documents parsed from memory, so text size is bounded by ``maxStringBytes`` and
/// ``maxDocumentBytes`` (and, when streaming, ``maxEntryBytes``).
public struct FHIRXMLLimits: Hashable, Sendable {
    /// The largest document ``FHIRXMLDecoder`` reads at once, in bytes. Default 64 MiB
    /// (``FHIRReadLimits/maxRecordBytes``).
    ///
    /// Larger Bundles are read entry by entry with ``FHIRXMLBundleStream``, which has no total
    /// size limit and applies ``maxEntryBytes`` to each entry instead.
    public var maxDocumentBytes: Int
    /// The deepest element nesting accepted, counting the root as 1 and the narrative's XHTML
    /// elements too. Default 64 (``FHIRReadLimits/maxDepth``).
    ///
    /// FHIR resources rarely pass 20; narrative XHTML and nested extensions add a few more.
    public var maxDepth: Int
    /// The largest single `Bundle.entry` ``FHIRXMLBundleStream`` accepts, in bytes. Default 64 MiB
    /// (``FHIRReadLimits/maxRecordBytes``).
    public var maxEntryBytes: Int
    /// The longest attribute value or text node, in bytes. Default 8 MiB
    /// (``FHIRReadLimits/maxStringBytes``).
    public var maxStringBytes: Int
    /// The most `entry` elements in one Bundle, read whole or streamed. Default 1,000,000
    /// (``FHIRReadLimits/maxBundleEntries``).
    public var maxBundleEntries: Int

    /// Creates limits; the defaults are those of ``FHIRReadLimits/default``.
    public init(
        maxDocumentBytes: Int = FHIRReadLimits.default.maxRecordBytes, maxDepth: Int = FHIRReadLimits.default.maxDepth,
        maxEntryBytes: Int = FHIRReadLimits.default.maxRecordBytes,
        maxStringBytes: Int = FHIRReadLimits.default.maxStringBytes,
        maxBundleEntries: Int = FHIRReadLimits.default.maxBundleEntries
    ) {
        self.maxDocumentBytes = maxDocumentBytes
        self.maxDepth = maxDepth
        self.maxEntryBytes = maxEntryBytes
        self.maxStringBytes = maxStringBytes
        self.maxBundleEntries = maxBundleEntries
    }

    /// The XML reader's share of the limits all readers apply: ``FHIRReadLimits/maxRecordBytes``
    /// bounds a document and a streamed entry alike.
    public init(_ limits: FHIRReadLimits) {
        self.init(
            maxDocumentBytes: limits.maxRecordBytes, maxDepth: limits.maxDepth, maxEntryBytes: limits.maxRecordBytes,
            maxStringBytes: limits.maxStringBytes, maxBundleEntries: limits.maxBundleEntries)
    }

    /// The default limits.
    public static let `default` = FHIRXMLLimits()
}
