/// Why a FHIR package or a definition in it could not be used: what, where (the file, the
/// entry, the package) and why.
public struct FHIRPackageError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong, in words a user acts on.
    public var message: String

    public init(_ message: String) { self.message = message }

    /// A tar or gzip archive that cannot be read (truncated, corrupt, unsafe paths, too large).
    static func archive(_ message: String) -> FHIRPackageError { FHIRPackageError(message) }

    public var description: String { message }
}
