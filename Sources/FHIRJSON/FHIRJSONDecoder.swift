public import FHIRCore

/// Decodes FHIR JSON into the models, losslessly and strictly.
///
/// ```swift
/// let resource = try FHIRJSONDecoder().decode(AnyResource.self, from: bytes)
/// ```
/// Every failure is thrown as a ``FHIRDiagnostic`` naming the line and column, the FHIRPath of
/// the element (`MedicationRequest.dosageInstruction[0].doseAndRate[0]`) and what was wrong.
public struct FHIRJSONDecoder: Sendable {
    /// What the reader accepts: record size, nesting, string length, Bundle entries. Input past
    /// a limit is refused before the models see it, with an error naming the limit.
    public var limits: FHIRReadLimits

    /// The deepest nesting of objects and arrays accepted (``FHIRReadLimits/maxDepth``); deeper
    /// input is refused before the models see it, so hostile input cannot exhaust the stack.
    public var maxDepth: Int {
        get { limits.maxDepth }
        set { limits.maxDepth = newValue }
    }

    /// Creates a decoder with the default limits and a nesting limit.
    /// - Parameter maxDepth: the nesting limit (default 64; real FHIR resources need under 20).
    public init(maxDepth: Int = 64) {
        limits = FHIRReadLimits(maxDepth: maxDepth)
    }

    /// Creates a decoder with the given limits.
    public init(limits: FHIRReadLimits) {
        self.limits = limits
    }

    /// Decodes a value strictly: an element the model does not know is an error.
    /// - Throws: ``FHIRDiagnostic``; past a limit, `tooLarge` or `tooDeep` naming it.
    public func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws(FHIRDiagnostic) -> T {
        try decode(type, document: scan(bytes))
    }

    /// Decodes a value strictly from a document scanned already.
    /// - Throws: ``FHIRDiagnostic``; past a limit, `tooLarge` or `tooDeep` naming it.
    public func decode<T: Decodable>(_ type: T.Type, from scanned: FHIRScannedJSON) throws(FHIRDiagnostic) -> T {
        try decode(type, document: checked(scanned.document(within: limits)))
    }

    private func decode<T: Decodable>(_ type: T.Type, document: JSONDocument) throws(FHIRDiagnostic) -> T {
        if useFastPath, let value = JSONFastReader.decode(type, from: document) { return value }
        return try decode(type, document: document, options: FHIRDecodingOptions(unknownElements: .strict))
    }

    /// Whether to try the generated fast path first (tests turn it off to compare the two paths).
    var useFastPath = true

    /// Decodes a value leniently: elements the model does not know are dropped, and each one
    /// is returned as a warning naming it, its FHIRPath and its position. Nothing is dropped silently.
    /// - Throws: ``FHIRDiagnostic`` for anything other than unknown elements.
    public func decodeLeniently<T: Decodable>(
        _ type: T.Type, from bytes: [UInt8]
    ) throws(FHIRDiagnostic) -> (value: T, dropped: [FHIRDiagnostic]) {
        try decodeLeniently(type, document: scan(bytes))
    }

    /// Decodes a value leniently from a document scanned already.
    /// - Throws: ``FHIRDiagnostic`` for anything other than unknown elements.
    public func decodeLeniently<T: Decodable>(
        _ type: T.Type, from scanned: FHIRScannedJSON
    ) throws(FHIRDiagnostic) -> (value: T, dropped: [FHIRDiagnostic]) {
        try decodeLeniently(type, document: checked(scanned.document(within: limits)))
    }

    private func decodeLeniently<T: Decodable>(
        _ type: T.Type, document: JSONDocument
    ) throws(FHIRDiagnostic) -> (value: T, dropped: [FHIRDiagnostic]) {
        // The fast path refuses every unknown element, so when it succeeds nothing was dropped.
        if useFastPath, let value = JSONFastReader.decode(type, from: document) { return (value, []) }
        let options = FHIRDecodingOptions(unknownElements: .lenient)
        let value = try decode(type, document: document, options: options)
        let resolver = JSONPathResolver(document: document)
        let dropped = options.warnings.droppedElements.map { dropped in
            let path = dropped.codingPath + [FHIRCodingKey(dropped.name)]
            return FHIRDiagnostic(
                .warning, code: .unknownElement,
                message: "unknown element '\(dropped.name)' was dropped (not part of this FHIR R4 type)",
                fhirPath: resolver.fhirPath(path), location: resolver.location(path))
        }
        return (value, dropped)
    }

    /// Scans the bytes within the limits; a Bundle at the root may hold at most
    /// ``FHIRReadLimits/maxBundleEntries`` entries (counted from the scan, before any decoding).
    private func scan(_ bytes: [UInt8]) throws(FHIRDiagnostic) -> JSONDocument {
        try checked(JSONScanner.parse(bytes, limits: limits))
    }

    /// The document, unless it is a Bundle with more entries than the limit.
    private func checked(_ document: JSONDocument) throws(FHIRDiagnostic) -> JSONDocument {
        // Each entry is at least one node: below the limit in nodes, no Bundle can be over it.
        guard document.nodes.count > limits.maxBundleEntries, let root = document.nodes.first, root.kind == .object
        else { return document }
        let members = document.members(of: 0)
        guard let type = members.first(where: { $0.key == "resourceType" })?.value,
            document.nodes[type].kind == .string, document.string(at: type) == "Bundle",
            let entry = members.first(where: { $0.key == "entry" })?.value,
            document.nodes[entry].kind == .array, document.nodes[entry].count > limits.maxBundleEntries
        else { return document }
        throw FHIRReadLimits.exceeded(
            .maxBundleEntries, value: limits.maxBundleEntries,
            "the Bundle has \(document.nodes[entry].count) entries, too many", fhirPath: "Bundle.entry",
            location: document.location(of: entry))
    }

    /// The Codable path: every rule checked, every failure reported with its place.
    private func decode<T: Decodable>(
        _ type: T.Type, document: JSONDocument, options: FHIRDecodingOptions
    ) throws(FHIRDiagnostic) -> T {
        let decoder = JSONNodeDecoder(
            document: document, index: 0, pathNode: .root, userInfo: [.fhirDecodingOptions: options])
        do {
            return try T(from: decoder)
        } catch let error as DecodingError {
            throw JSONPathResolver(document: document).diagnostic(for: error)
        } catch let error as FHIRDiagnostic {
            throw error
        } catch {
            throw FHIRDiagnostic(code: .invalidValue, message: "\(error)")
        }
    }
}
