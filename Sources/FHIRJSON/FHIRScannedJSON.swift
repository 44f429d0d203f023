public import FHIRCore

/// A JSON document scanned once (JSON's grammar, duplicate keys and the read limits checked),
/// for readers that each read the same bytes: the typed decoder and the element model's reader
/// take it instead of scanning the bytes again.
public struct FHIRScannedJSON: Sendable {
    let document: JSONDocument
    /// The limits the document was scanned within; a reader with other limits scans again.
    public let limits: FHIRReadLimits

    /// Scans `bytes`.
    /// - Throws: ``FHIRDiagnostic``: what the scanner refuses, with its line and column.
    public init(_ bytes: [UInt8], limits: FHIRReadLimits = .default) throws(FHIRDiagnostic) {
        document = try JSONScanner.parse(bytes, limits: limits)
        self.limits = limits
    }

    /// The scanned document when it was scanned within `limits`; else the bytes scanned again.
    func document(within limits: FHIRReadLimits) throws(FHIRDiagnostic) -> JSONDocument {
        limits == self.limits ? document : try JSONScanner.parse(document.bytes, limits: limits)
    }
}
