public import FHIRCore

/// Writes the models as FHIR R4 XML (UTF-8).
///
/// ```swift
/// let bytes = try FHIRXMLEncoder(pretty: true).encode(resource)
/// ```
///
/// Elements are written in the order the models encode them (specification order); primitives
/// as `value` attributes with their `id` and extensions on the same element; `Element.id` and
/// `Extension.url` as attributes; arrays as repeated elements; nested resources inside their
/// wrapper element; the narrative as an XHTML subtree.
public struct FHIRXMLEncoder: Sendable {
    /// Whether to indent FHIR elements (two spaces a level). The narrative is never reindented.
    public var pretty: Bool

    /// Whether to try the generated fast path first (tests turn it off to compare the two paths).
    var useFastPath = true

    /// Creates an encoder.
    /// - Parameter pretty: indent the output; `false` writes it on one line.
    public init(pretty: Bool = false) { self.pretty = pretty }

    /// Encodes a resource (`AnyResource` or a concrete resource type) as an XML document.
    /// - Throws: ``FHIRDiagnostic`` for a value XML cannot carry (a control character, an empty
    ///   string, a narrative that is not well-formed XHTML), with the element's FHIRPath.
    public func encode<T: Encodable>(_ value: T) throws(FHIRDiagnostic) -> [UInt8] {
        if useFastPath, !pretty, let bytes = XMLFastWriter.encode(value) { return bytes }
        let holder = RootHolder()
        let encoder = XMLNodeEncoder(
            slot: XMLEncodingSlot(documentRoot: { holder.root = $0 }),
            isMetadata: false, existing: [], codingPath: [])
        do {
            try value.encode(to: encoder)
        } catch {
            throw Self.diagnostic(for: error, rootType: Self.resourceType(of: value))
        }
        guard let root = holder.root else {
            throw FHIRDiagnostic(code: .invalidValue, message: "nothing to write: the value is not a FHIR resource")
        }
        var serializer = XMLSerializer(pretty: pretty)
        serializer.writeDocument(root)
        return serializer.bytes
    }

    /// One entry of a compact collection Bundle holding `resource`, `<entry><resource>…</resource></entry>`,
    /// byte for byte as it sits inside the Bundle ``encode(_:)`` writes (no namespace declaration:
    /// the Bundle's applies). Nil when the encoder is pretty or the fast path gives up: then encode
    /// the Bundle and cut the entry out, which also reports why a resource cannot be written.
    ///
    /// For writing a Bundle entry by entry without building one around each resource.
    public func encodeBundleEntry(_ resource: AnyResource) -> [UInt8]? {
        guard useFastPath, !pretty else { return nil }
        return XMLFastWriter.encodeElement("entry", Bundle.Entry(resource: resource), declaresNamespace: false)
    }

    private static func resourceType(of value: Any) -> String {
        if let resource = value as? AnyResource { return resource.resourceType }
        if let resource = value as? any FHIRResource { return type(of: resource).resourceType }
        return ""
    }

    private static func diagnostic(for error: any Error, rootType: String) -> FHIRDiagnostic {
        guard case .invalidValue(_, let context) = error as? EncodingError else {
            return FHIRDiagnostic(code: .invalidValue, message: String(describing: error))
        }
        var path = FHIRPathBuilder(root: rootType)
        for key in context.codingPath { path.append(key) }
        let underlying = context.underlyingError as? FHIRDiagnostic
        return FHIRDiagnostic(
            code: underlying?.code ?? .invalidValue,
            message: underlying?.message ?? context.debugDescription,
            fhirPath: path.expression)
    }
}

/// Receives the document's root element from the encoder.
private final class RootHolder {
    var root: XMLElement?
}
