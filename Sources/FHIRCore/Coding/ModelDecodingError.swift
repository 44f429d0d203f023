/// Errors the models and codecs raise while decoding, as `DecodingError`s whose underlying error
/// is a ``FHIRDiagnostic`` carrying the code; the wire-format decoder adds the FHIRPath and the
/// line and column from the coding path.
extension DecodingError {
    /// A decoding error that carries a diagnostic code and message.
    public static func fhir(_ code: FHIRDiagnostic.Code, _ message: String, at codingPath: [any CodingKey])
        -> DecodingError
    {
        .dataCorrupted(
            Context(
                codingPath: codingPath, debugDescription: message,
                underlyingError: FHIRDiagnostic(code: code, message: message)))
    }
}

extension KeyedDecodingContainer where Key == FHIRCodingKey {
    /// Reads `resourceType`, which every resource object must have.
    public func decodeResourceType() throws -> String {
        guard contains("resourceType") else {
            throw DecodingError.fhir(.missing, "missing 'resourceType': a resource must say its type", at: codingPath)
        }
        return try decode(String.self, forKey: "resourceType")
    }

    /// The error for a resource type the models do not cover.
    public func unsupportedResourceType(_ type: String, supported: [String]) -> any Error {
        DecodingError.fhir(
            .unsupportedResourceType,
            "unsupported resource type '\(type)'; ivig-fhir supports \(supported.joined(separator: ", "))",
            at: codingPath + [FHIRCodingKey("resourceType")])
    }
}
