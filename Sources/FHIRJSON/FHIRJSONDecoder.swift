public import FHIRCore

/// Decodes FHIR JSON into the models, losslessly and strictly.
///
/// ```swift
/// let resource = try FHIRJSONDecoder().decode(AnyResource.self, from: bytes)
/// ```
/// Every failure is thrown as a ``FHIRDiagnostic`` naming the line and column, the FHIRPath of
/// the element (`MedicationRequest.dosageInstruction[0].doseAndRate[0]`) and what was wrong.
public struct FHIRJSONDecoder: Sendable {
    /// The deepest nesting of objects and arrays accepted; deeper input is refused before the
    /// models see it, so hostile input cannot exhaust the stack.
    public var maxDepth: Int

    /// Creates a decoder.
    /// - Parameter maxDepth: the nesting limit (default 64; real FHIR resources need under 20).
    public init(maxDepth: Int = 64) {
        self.maxDepth = maxDepth
    }

    /// Decodes a value strictly: an element the model does not know is an error.
    /// - Throws: ``FHIRDiagnostic``.
    public func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws(FHIRDiagnostic) -> T {
        let document = try JSONScanner.parse(bytes, maxDepth: maxDepth)
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
        let document = try JSONScanner.parse(bytes, maxDepth: maxDepth)
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
