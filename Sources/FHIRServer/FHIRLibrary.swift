import FHIRBatch
import FHIRConformance
import FHIRCore
import FHIRElementModel
import FHIRJSON
import FHIRPackages
import FHIRValidation
import FHIRValidationIO
import FHIRXML
import LocalRecords

/// The one place `serve` calls the project's readers, writers, validation and local mappings.
///
/// The calls are the ones `convert` and `validate` make: the codecs of `FormatRegistry.standard`
/// with the element model for every resource type outside the IVIG set, the record pipeline's
/// validation step (`RecordValidation`, with validation from the definitions), `LocalToFHIR` and
/// `FHIRToLocal`. NDJSON bodies are cut into lines by the server's own ``NDJSONLineReader``: the
/// record pipeline reads files and standard input, not a request body arriving in pieces.
struct FHIRLibrary: Sendable {
    private let formats: FormatRegistry
    private let validation: RecordValidation
    private let toFHIR: LocalToFHIR?
    private let toLocal: FHIRToLocal?
    private let profileChecks = ProfileChecks()
    /// The definitions' element layouts, for resources of any type.
    private let elements: FHIRLayoutIndex
    let limits: FHIRReadLimits

    /// - Parameter definitions: base R4 and the packages given (`--package`): they type the element
    ///   model for the resource types outside the IVIG set, and `$validate` validates from them.
    /// - Parameter conformance: the profiles every resource is validated against too, and how
    ///   unknown extensions are reported (`--profile`, `--unknown-extensions`).
    init(
        validator: Validator, definitions: FHIRPackages.FHIRDefinitions, limits: FHIRReadLimits,
        localMappings: LocalMappings?, conformance: ConformanceValidator.Options = .init()
    ) {
        elements = FHIRLayoutIndex(definitions)
        self.formats = FormatRegistry.standard(lenient: false, limits: limits, elements: elements)
        self.validation = RecordValidation(
            validator: validator, limits: limits,
            conformance: ConformanceCheck(
                validator: ConformanceValidator(definitions: definitions, options: conformance), limits: limits))
        self.toFHIR = localMappings.map { LocalToFHIR(mappings: $0, readLimits: limits) }
        self.toLocal = localMappings.map { FHIRToLocal(mappings: $0) }
        self.limits = limits
    }

    /// Whether local records can be read and written (a mapping folder was loaded).
    var hasLocalMappings: Bool { toFHIR != nil }

    // MARK: Reading

    /// Decodes one FHIR document (`json` or `xml`) or one NDJSON line (`json`), as `convert` does:
    /// the IVIG types into the typed models, every other type into the element model.
    /// - Parameter line: the record's first line in the body, so positions name the body's line.
    private func decodeRecord(_ bytes: [UInt8], syntax: ResourceSyntax, line: Int) throws(FHIRDiagnostic)
        -> DecodedRecord
    {
        let name = syntax == .xml ? "xml" : "json"
        guard let decoder = formats.input(named: name)?.decoder else {
            throw FHIRDiagnostic(code: .invalidValue, message: "no \(name) reader is registered")
        }
        return try decoder.decode(Self.record(bytes, syntax: syntax, line: line))
    }

    /// Decodes one record of the IVIG types (the typed models), for what works on them only:
    /// local records and the `Parameters` of `$validate`.
    func decode(_ bytes: [UInt8], syntax: ResourceSyntax, line: Int = 1) throws(FHIRDiagnostic) -> AnyResource {
        let decoded = try decodeRecord(bytes, syntax: syntax, line: line)
        if let resource = decoded.resources.first { return resource }
        if let element = decoded.elements.first {
            throw FHIRDiagnostic(
                code: .unsupportedResourceType,
                message: "a \(element.typeName) has no local record and cannot be used here: only the IVIG resource "
                    + "types (\(AnyResource.supportedTypes.joined(separator: ", "))) can",
                fhirPath: element.typeName)
        }
        throw FHIRDiagnostic(code: .missing, message: "the record holds no resource")
    }

    /// One record converted as `convert` converts it, any resource type: a document or an NDJSON
    /// line (without its line break).
    func convert(_ bytes: [UInt8], from input: ResourceSyntax, to output: ResourceSyntax, pretty: Bool, line: Int = 1)
        throws(FHIRDiagnostic) -> [UInt8]
    {
        let decoded = try decodeRecord(bytes, syntax: input, line: line)
        let encoder = try encoder(output, pretty: pretty)
        if let resource = decoded.resources.first { return try encoder.encode(resource) }
        if let element = decoded.elements.first { return try encoder.encode(element: element) }
        throw FHIRDiagnostic(code: .missing, message: "the record holds no resource")
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

    /// One resource of the IVIG types as a document or an NDJSON line.
    func encode(_ resource: AnyResource, as syntax: ResourceSyntax, pretty: Bool) throws(FHIRDiagnostic) -> [UInt8] {
        try encoder(syntax, pretty: pretty).encode(resource)
    }

    private func encoder(_ syntax: ResourceSyntax, pretty: Bool) throws(FHIRDiagnostic) -> any RecordEncoder {
        let name: String
        switch syntax {
        case .json: name = "json"
        case .xml: name = "xml"
        case .ndjson: name = "ndjson"
        }
        guard let format = formats.output(named: name) else {
            throw FHIRDiagnostic(code: .invalidValue, message: "no \(name) writer is registered")
        }
        return format.makeEncoder(pretty && syntax != .ndjson)
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

    /// Validates one document or one NDJSON record through the step `validate` runs on each
    /// record (its own context), with the findings placed on the body's lines.
    func validate(_ bytes: [UInt8], syntax: ResourceSyntax, line: Int = 1) -> [ValidationFinding] {
        validation.validate(Self.record(bytes, syntax: syntax, line: line), isXML: syntax == .xml).map { finding in
            var placed = finding
            placed.file = nil
            return placed
        }
    }

    /// Validates as ``validate(_:syntax:line:)`` does, and against a profile too (the `profile` of
    /// a `Parameters`, as `validate --profile`); nil when the definitions do not hold the profile.
    func validate(_ bytes: [UInt8], syntax: ResourceSyntax, profile: String) -> [ValidationFinding]? {
        guard let conformance = validation.conformance else { return nil }
        var validator = conformance.validator
        validator.options.profiles.append(profile)
        guard validator.unknownProfiles.isEmpty else { return nil }
        var step = validation
        step.conformance = profileChecks.check(for: profile) { ConformanceCheck(validator: validator, limits: limits) }
        return step.validate(Self.record(bytes, syntax: syntax, line: 1), isXML: syntax == .xml).map { finding in
            var placed = finding
            placed.file = nil
            return placed
        }
    }

    /// The `resource` and `profile` parameters of a `$validate` call's `Parameters` body, read with
    /// the element model so that the resource may be of any type (as a bare one may): the
    /// resource written again as a document in `syntax`.
    /// - Throws: ``FHIRDiagnostic`` when the body is not a readable `Parameters`.
    func validateParameters(_ bytes: [UInt8], syntax: ResourceSyntax) throws(FHIRDiagnostic) -> ValidateParameters {
        let parameters =
            syntax == .xml
            ? try FHIRElementXMLReader(index: elements, limits: limits).read(bytes)
            : try FHIRElementJSONReader(index: elements, limits: limits).read(bytes)
        guard parameters.typeName == "Parameters" else {
            throw FHIRDiagnostic(code: .invalidValue, message: "the body is not a Parameters resource")
        }
        func parameter(_ name: String) -> FHIRElement? {
            parameters.children(named: "parameter").first { $0.child(named: "name")?.value == name }
        }
        let profile = parameter("profile")?.child(named: "value").flatMap { value in
            ["uri", "canonical", "string", "url"].contains(value.typeName) ? value.value : nil
        }
        guard let resource = parameter("resource")?.child(named: "resource") else {
            return ValidateParameters(resource: nil, profile: profile)
        }
        let document = try encoder(syntax == .xml ? .xml : .json, pretty: true).encode(element: resource)
        return ValidateParameters(resource: document, profile: profile)
    }

    /// A reader's diagnostic as a validation finding (rule, severity, issue type).
    func finding(for diagnostic: FHIRDiagnostic) -> ValidationFinding {
        ValidationFinding(decoding: diagnostic)
    }

    /// A body's bytes as the record pipeline's record: a document, or an NDJSON line numbered in the body.
    private static func record(_ bytes: [UInt8], syntax: ResourceSyntax, line: Int) -> RawRecord {
        let position: RecordOrigin.Position = syntax == .ndjson || line > 1 ? .line(line) : .document
        return RawRecord(origin: RecordOrigin(input: "", position: position, byteOffset: 0), payload: .bytes(bytes))
    }

    private static let noMappings = FHIRDiagnostic(
        code: .invalidValue, message: "local records are not available: the server was started without mappings")
}

/// What a `$validate` call's `Parameters` holds.
struct ValidateParameters {
    /// The resource to validate, as a document in the body's syntax; nil when there is none.
    var resource: [UInt8]?
    /// The profile to validate against too.
    var profile: String?
}

/// The syntaxes a FHIR body can have.
enum ResourceSyntax: Sendable, Equatable {
    case json, xml, ndjson
}

/// The conformance checks of the profiles requests have named, so each profile's element index
/// is built once; at most ``capacity`` are kept (a client naming endless profiles gets fresh ones).
private final class ProfileChecks: @unchecked Sendable {
    private static let capacity = 64
    private let lock = Lock()
    private var checks: [String: ConformanceCheck] = [:]

    func check(for profile: String, make: () -> ConformanceCheck) -> ConformanceCheck {
        if let kept = lock.withLock({ checks[profile] }) { return kept }
        let made = make()
        lock.withLock {
            if checks.count < Self.capacity { checks[profile] = made }
        }
        return made
    }
}
