import FHIRBatch
import FHIRCore
import FHIRElementModel
import FHIRJSON
import FHIRPackages
import FHIRValidation
import FHIRXML
import Foundation

/// Decodes one record for validation, turning decoder diagnostics into findings.
///
/// Decoding is strict first. When it fails only because of elements FHIR R4 does not define
/// (or, in XML, elements out of order), the record is decoded again leniently, each unknown
/// element becomes a `struct-unknown-element` error, and validation goes on with the rest.
/// Anything else that stops decoding is reported once, and the record is not checked further:
/// as `fatal` when the bytes are not FHIR at all (syntax, encoding, no resourceType) or are past
/// a reader limit (``FHIRReadLimits``: rule `struct-limit`),
/// as `error` when they are FHIR that breaks a rule the model enforces (two `value[x]`, a
/// string where a number belongs, a malformed date).
///
/// An entry of a streamed Bundle is decoded with its `fullUrl` and validated as a one-entry
/// collection Bundle, so references by `urn:uuid:` still resolve; ``ValidatedRecord`` moves its
/// paths back to `Bundle.entry[n]`.
enum RecordDecoding {
    struct Decoded {
        var resource: AnyResource?
        /// Findings with locations inside the record's own bytes (a streamed XML entry's are in
        /// the input already).
        var findings: [ValidationFinding]
    }

    /// Decodes a record cut out by the pipeline.
    /// - Parameter otherTypes: read a resource type outside the IVIG set with the element model
    ///   for its findings; false when nothing will use them (the first pass, or when
    ///   `ConformanceCheck` reads the record anyway).
    static func decode(_ record: RawRecord, isXML: Bool, limits: FHIRReadLimits, otherTypes: Bool = true) -> Decoded {
        if let problem = record.framingProblem {
            // Placed in the input later, like every finding about the record's own bytes.
            var relative = finding(for: problem)
            relative.location = SourceLocation(line: 1, column: 1, byteOffset: 0)
            return Decoded(resource: nil, findings: [relative])
        }
        switch record.payload {
        case .bytes(let bytes):
            if case .bundleEntry = record.origin.position {
                return decode { (lenient: Bool) throws(FHIRDiagnostic) in
                    let decoder = FHIRJSONDecoder(limits: limits)
                    if lenient { return try wrap(decoder.decodeLeniently(FHIRCore.Bundle.Entry.self, from: bytes)) }
                    return (try wrap(decoder.decode(FHIRCore.Bundle.Entry.self, from: bytes)), [])
                }
            }
            return decode(bytes, isXML: isXML, limits: limits, otherTypes: otherTypes)
        case .xmlEntry(let parsed):
            return decode { (lenient: Bool) throws(FHIRDiagnostic) in
                let (entry, dropped) = try parsed.decode(lenient: lenient)
                return (try wrap(entry), dropped)
            }
        }
    }

    /// Decodes one JSON or XML document (or NDJSON line). A resource type outside the IVIG set
    /// is read with the element model instead, and what that reader refuses is the finding.
    static func decode(_ bytes: [UInt8], isXML: Bool, limits: FHIRReadLimits = .default, otherTypes: Bool = true)
        -> Decoded
    {
        var isOtherType = false
        let decoded = decode { (lenient: Bool) throws(FHIRDiagnostic) in
            do throws(FHIRDiagnostic) {
                if isXML {
                    let decoder = FHIRXMLDecoder(limits: limits)
                    if lenient { return try decoder.decodeLeniently(AnyResource.self, from: bytes) }
                    return (try decoder.decode(AnyResource.self, from: bytes), [])
                }
                let decoder = FHIRJSONDecoder(limits: limits)
                if lenient { return try decoder.decodeLeniently(AnyResource.self, from: bytes) }
                return (try decoder.decode(AnyResource.self, from: bytes), [])
            } catch {
                if error.code == .unsupportedResourceType { isOtherType = true }
                throw error
            }
        }
        guard isOtherType, otherTypes else { return decoded }
        return Decoded(resource: nil, findings: elementModelFindings(bytes, isXML: isXML, limits: limits))
    }

    /// Decodes a JSON document scanned already (or fails as its scan did). A type outside the
    /// IVIG set is left to the element model's reading.
    static func decode(_ scanned: Result<FHIRScannedJSON, FHIRDiagnostic>) -> Decoded {
        decode { (lenient: Bool) throws(FHIRDiagnostic) in
            let document = try scanned.get()
            let decoder = FHIRJSONDecoder(limits: document.limits)
            if lenient { return try decoder.decodeLeniently(AnyResource.self, from: document) }
            return (try decoder.decode(AnyResource.self, from: document), [])
        }
    }

    /// The element model's definitions, for records of the types outside the IVIG set.
    static let baseR4 = FHIRLayoutIndex(FHIRDefinitions.baseR4)

    /// A record of a type outside the IVIG set, read with the element model as strictly as the
    /// typed readers read. Structure validation from the definitions is `ConformanceCheck`'s.
    private static func elementModelFindings(
        _ bytes: [UInt8], isXML: Bool, limits: FHIRReadLimits
    ) -> [ValidationFinding] {
        do throws(FHIRDiagnostic) {
            if isXML {
                _ = try FHIRElementXMLReader(index: baseR4, limits: limits).read(bytes)
            } else {
                _ = try FHIRElementJSONReader(index: baseR4, limits: limits).read(bytes)
            }
            return []
        } catch {
            return [finding(for: error)]
        }
    }

    /// Strict, then lenient when only unknown or misplaced elements stopped it.
    private static func decode(
        _ attempt: (_ lenient: Bool) throws(FHIRDiagnostic) -> (AnyResource, [FHIRDiagnostic])
    ) -> Decoded {
        do {
            return Decoded(resource: try attempt(false).0, findings: [])
        } catch let diagnostic {
            guard diagnostic.code == .unknownElement || diagnostic.code == .elementOrder,
                let (resource, dropped) = try? attempt(true)
            else {
                return Decoded(resource: nil, findings: [finding(for: diagnostic)])
            }
            var findings = dropped.map { warning in
                ValidationFinding(
                    .error, .structure, rule: "struct-unknown-element",
                    warning.message.replacingDropped(), at: warning.fhirPath, location: warning.location)
            }
            if diagnostic.code == .elementOrder { findings.insert(finding(for: diagnostic), at: 0) }
            return Decoded(resource: resource, findings: findings)
        }
    }

    private static func wrap(_ entry: FHIRCore.Bundle.Entry) throws(FHIRDiagnostic) -> AnyResource {
        guard entry.resource != nil else {
            throw FHIRDiagnostic(code: .missing, message: "the Bundle entry has no resource", fhirPath: "resource")
        }
        return .bundle(FHIRCore.Bundle(type: "collection", entry: [entry]))
    }

    private static func wrap(_ decoded: (FHIRCore.Bundle.Entry, [FHIRDiagnostic])) throws(FHIRDiagnostic) -> (
        AnyResource, [FHIRDiagnostic]
    ) {
        (try wrap(decoded.0), decoded.1)
    }

    /// A decoder diagnostic as a finding: rule id, severity and issue type by its code.
    static func finding(for diagnostic: FHIRDiagnostic) -> ValidationFinding {
        let (rule, severity, type): (String, ValidationFinding.Severity, ValidationFinding.IssueType)
        switch diagnostic.code {
        case .multipleChoices: (rule, severity, type) = ("struct-choice-multiple", .error, .structure)
        case .unknownElement: (rule, severity, type) = ("struct-unknown-element", .error, .structure)
        case .elementOrder: (rule, severity, type) = ("struct-element-order", .error, .structure)
        case .wrongType: (rule, severity, type) = ("struct-type", .error, .structure)
        case .invalidPrimitive: (rule, severity, type) = ("struct-format", .error, .value)
        case .unsupportedResourceType: (rule, severity, type) = ("struct-resource-type", .error, .notSupported)
        case .invalidValue: (rule, severity, type) = ("struct-invalid", .error, .invalid)
        case .tooDeep, .tooLarge: (rule, severity, type) = ("struct-limit", .fatal, .tooCostly)
        default: (rule, severity, type) = ("struct-syntax", .fatal, .structure)
        }
        let note = severity == .fatal ? "" : "; the resource was not checked further"
        return ValidationFinding(
            severity, type, rule: rule, diagnostic.message + note, at: diagnostic.fhirPath,
            location: diagnostic.location)
    }
}

extension String {
    /// The lenient decoder says an element "was dropped"; validation reports it as an error.
    func replacingDropped() -> String {
        guard let range = range(of: " was dropped") else { return self }
        return replacingCharacters(in: range, with: "")
    }
}
