public import FHIRCore

/// Reads FHIR R4 XML into the models, through libxml2.
///
/// ```swift
/// let resource = try FHIRXMLDecoder().decode(AnyResource.self, from: bytes)
/// ```
///
/// The document is parsed with entity substitution, DTD loading and network access off; a
/// DOCTYPE is refused; size and depth are bounded by ``limits``. Every failure is a
/// ``FHIRDiagnostic`` with a line and column and, for content errors, the element's FHIRPath.
public struct FHIRXMLDecoder: Sendable {
    /// Strict or lenient handling of unknown and out-of-order elements; set only by
    /// ``decodeLeniently(_:from:)``, so a lenient decode always hands back what it dropped.
    ///
    /// Strict: an element the model does not know, a foreign attribute or namespace, and an
    /// element out of specification order are errors. Lenient: unknown content is dropped and
    /// reported as a warning; order is not checked (reordering loses nothing).
    var unknownElements: FHIRDecodingOptions.UnknownElements = .strict
    /// Size and depth limits.
    public var limits: FHIRXMLLimits

    /// Creates a decoder.
    /// - Parameter limits: the reader's limits; ``FHIRXMLLimits/default`` unless given.
    public init(limits: FHIRXMLLimits = .default) {
        self.limits = limits
    }

    /// Creates a decoder with the limits every reader shares.
    public init(limits: FHIRReadLimits) {
        self.limits = FHIRXMLLimits(limits)
    }

    /// Decodes a resource (`AnyResource`, or a concrete type such as `Patient`) from XML bytes,
    /// strictly: an element the model does not know is an error.
    /// - Throws: ``FHIRDiagnostic``.
    public func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws(FHIRDiagnostic) -> T {
        if useFastPath, let value = fastDecode(type, from: bytes) { return value }
        return try decode(type, root: try parse(bytes)).value
    }

    /// Whether to try the generated fast path first (tests turn it off to compare the two paths).
    var useFastPath = true

    /// The fast path: a SAX pass into a flat document and the generated readers, or nil when
    /// anything needs the full parse (which then reports it, or accepts it).
    func fastDecode<T>(_ type: T.Type, from bytes: [UInt8]) -> T? {
        bytes.withUnsafeBytes { bytes in
            XMLFastParser.withDocument(bytes, limits: limits) { document in
                // Each entry is at least one node: below the limit in nodes, no Bundle can be over it.
                guard document.nodes.count <= limits.maxBundleEntries else { return nil }
                return XMLFastReader.decode(type, from: document)
            }
        }
    }

    /// Decodes leniently, as `FHIRJSONDecoder.decodeLeniently` does: unknown content is dropped
    /// and each piece is returned as a warning with its FHIRPath and line. Nothing is dropped silently.
    /// - Throws: ``FHIRDiagnostic`` for anything other than unknown content.
    public func decodeLeniently<T: Decodable>(
        _ type: T.Type, from bytes: [UInt8]
    ) throws(FHIRDiagnostic) -> (value: T, dropped: [FHIRDiagnostic]) {
        // The fast path refuses all unknown content, so when it succeeds nothing was dropped.
        if useFastPath, let value = fastDecode(type, from: bytes) { return (value, []) }
        var lenient = self
        lenient.unknownElements = .lenient
        let (value, warnings) = try lenient.decode(type, root: try lenient.parse(bytes))
        return (value, warnings)
    }

    /// Parses bytes into a tree with the hardened libxml2 parser.
    func parse(_ bytes: [UInt8]) throws(FHIRDiagnostic) -> XMLElement {
        let parser = XMLDocumentParser(limits: limits)
        let result = bytes.withUnsafeBytes { buffer in Result { () throws(FHIRDiagnostic) in try parser.parse(buffer) }
        }
        let root = try result.get()
        if root.name == "Bundle" {
            var entries = 0
            for case .element(let child) in root.children where child.name == "entry" {
                entries += 1
                if entries > limits.maxBundleEntries {
                    throw FHIRReadLimits.exceeded(
                        .maxBundleEntries, value: limits.maxBundleEntries, "the Bundle has more entries than allowed",
                        fhirPath: "Bundle.entry[\(entries - 1)]",
                        location: SourceLocation(line: max(child.line, 1), column: max(child.column, 1), byteOffset: 0))
                }
            }
        }
        return root
    }

    /// Decodes from an already parsed element (a whole document, or a streamed Bundle entry).
    func decode<T: Decodable>(
        _ type: T.Type, root: XMLElement, basePath: FHIRPathBuilder? = nil
    ) throws(FHIRDiagnostic) -> (value: T, warnings: [FHIRDiagnostic]) {
        let options = FHIRDecodingOptions(unknownElements: unknownElements)
        let decoder = XMLNodeDecoder(
            elements: [root], name: root.name, isMetadata: false,
            state: XMLDecodingState(options: options), codingPath: [])
        let locator = XMLErrorLocator(root: root, basePath: basePath)
        guard root.namespace == XMLNamespace.fhir else {
            throw FHIRDiagnostic(
                code: .invalidValue,
                message:
                    "root element <\(root.name)> is not in the FHIR namespace; expected xmlns=\"\(XMLNamespace.fhir)\"",
                location: SourceLocation(line: max(root.line, 1), column: max(root.column, 1), byteOffset: 0))
        }
        do {
            let value = try T(from: decoder)
            let warnings = options.warnings.droppedElements.map { dropped in
                // Attributes (`@name`) and text (`#text`) belong to the element that holds them.
                let isChild = !dropped.name.hasPrefix("@") && !dropped.name.hasPrefix("#")
                let (fhirPath, location) = locator.locate(
                    dropped.codingPath + (isChild ? [FHIRCodingKey(dropped.name)] : []))
                let what = isChild ? "element '\(dropped.name)'" : "'\(dropped.name)'"
                return FHIRDiagnostic(
                    .warning, code: .unknownElement,
                    message: "unknown \(what) was dropped (not part of this FHIR R4 type)",
                    fhirPath: fhirPath, location: location)
            }
            return (value, warnings)
        } catch {
            throw locator.diagnostic(for: error)
        }
    }
}
