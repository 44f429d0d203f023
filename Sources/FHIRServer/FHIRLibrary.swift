import FHIRBatch
import FHIRCore
import FHIRValidation
import FHIRValidationIO
import LocalRecords

/// The one place `serve` calls the project's readers, writers, validation and local mappings.
///
/// The server's handlers speak only to this adapter, so when the record pipeline (`FHIRBatch` and
/// `FHIRValidationIO` as one) or the element model (every resource type) changes those APIs,
/// this file is the one to re-point. The calls are the ones `convert` and `validate` make: the
/// decoders and encoders of `FormatRegistry.standard`, `ValidationRun`, `LocalToFHIR` and
/// `FHIRToLocal`.
struct FHIRLibrary: Sendable {
    private let formats: FormatRegistry
    private let validation: ValidationRun
    private let toFHIR: LocalToFHIR?
    private let toLocal: FHIRToLocal?
    let limits: FHIRReadLimits

    init(validator: Validator, limits: FHIRReadLimits, localMappings: LocalMappings?) {
        self.formats = FormatRegistry.standard(lenient: false, limits: limits)
        self.validation = ValidationRun(validator: validator, limits: limits)
        self.toFHIR = localMappings.map { LocalToFHIR(mappings: $0, readLimits: limits) }
        self.toLocal = localMappings.map { FHIRToLocal(mappings: $0) }
        self.limits = limits
    }

    /// Whether local records can be read and written (a mapping folder was loaded).
    var hasLocalMappings: Bool { toFHIR != nil }

    // MARK: Reading

    /// Decodes one FHIR document (`json` or `xml`) or one NDJSON line (`json`).
    /// - Parameter line: the record's first line in the body, so positions name the body's line.
    func decode(_ bytes: [UInt8], syntax: ResourceSyntax, line: Int = 1) throws(FHIRDiagnostic) -> AnyResource {
        let position: RecordOrigin.Position = line == 1 && syntax != .ndjson ? .document : .line(line)
        let record = RawRecord(
            origin: RecordOrigin(input: "", position: position, byteOffset: 0), payload: .bytes(bytes))
        let name = syntax == .xml ? "xml" : "json"
        guard let decoder = formats.input(named: name)?.decoder else {
            throw FHIRDiagnostic(code: .invalidValue, message: "no \(name) reader is registered")
        }
        let decoded = try decoder.decode(record)
        guard let resource = decoded.resources.first else {
            throw FHIRDiagnostic(code: .missing, message: "the record holds no resource")
        }
        return resource
    }

    /// The FHIR resources of one local record (an NDJSON line of the hospital's format).
    func resources(fromLocalLine bytes: [UInt8], line: Int) throws(FHIRDiagnostic) -> [AnyResource] {
        guard let toFHIR else { throw Self.noMappings }
        do {
            return try toFHIR.resources(forLine: bytes, origin: LocalRecordOrigin(line: line))
        } catch {
            var diagnostic = error.diagnostic
            diagnostic.file = nil
            diagnostic.location = SourceLocation(line: line, column: 1, byteOffset: 0)
            throw diagnostic
        }
    }

    // MARK: Writing

    /// One resource as a document or an NDJSON line.
    func encode(_ resource: AnyResource, as syntax: ResourceSyntax, pretty: Bool) throws(FHIRDiagnostic) -> [UInt8] {
        let name: String
        switch syntax {
        case .json: name = "json"
        case .xml: name = "xml"
        case .ndjson: name = "ndjson"
        }
        guard let format = formats.output(named: name) else {
            throw FHIRDiagnostic(code: .invalidValue, message: "no \(name) writer is registered")
        }
        return try format.makeEncoder(pretty && syntax != .ndjson).encode(resource)
    }

    /// One resource as a local record line (without its line break).
    func localLine(for resource: AnyResource) throws(FHIRDiagnostic) -> [UInt8] {
        guard let toLocal else { throw Self.noMappings }
        do {
            return try toLocal.localJSON(for: resource)
        } catch {
            var diagnostic = error.diagnostic
            diagnostic.file = nil
            diagnostic.location = nil
            diagnostic.fhirPath = error.fhirPath
            throw diagnostic
        }
    }

    // MARK: Validation

    /// Validates one document or one NDJSON record (as its own context, as `convert --validate`
    /// does), with the findings placed on the body's lines.
    func validate(_ bytes: [UInt8], syntax: ResourceSyntax, line: Int = 1) -> [ValidationFinding] {
        let format: ValidationSource.Format = syntax == .xml ? .xml : .json
        let reports = validation.validate([ValidationSource(name: "", bytes: bytes, format: format)])
        return reports.flatMap(\.findings).map { finding in
            var placed = finding
            placed.file = nil
            if line > 1, var location = placed.location {
                location.line += line - 1
                placed.location = location
            }
            return placed
        }
    }

    /// A reader's diagnostic as a validation finding (rule, severity, issue type).
    func finding(for diagnostic: FHIRDiagnostic) -> ValidationFinding {
        ValidationFinding(decoding: diagnostic)
    }

    private static let noMappings = FHIRDiagnostic(
        code: .invalidValue, message: "local records are not available: the server was started without mappings")
}

/// The syntaxes a FHIR body can have.
enum ResourceSyntax: Sendable, Equatable {
    case json, xml, ndjson
}
