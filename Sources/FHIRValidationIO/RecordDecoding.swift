import FHIRCore
import FHIRElementModel
import FHIRPackages
import Foundation
import FHIRJSON
import FHIRValidation
import FHIRXML

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
enum RecordDecoding {
    struct Decoded {
        var resource: AnyResource?
        var findings: [ValidationFinding]
        /// Whether the record could be read, when another reader than the typed models decides.
        var isReadable: Bool?
    }

    static func decode(_ bytes: [UInt8], format: ValidationSource.Format, limits: FHIRReadLimits = .default) -> Decoded {
        do {
            return Decoded(resource: try strict(bytes, format, limits), findings: [])
        } catch let diagnostic {
            if diagnostic.code == .unsupportedResourceType {
                return Decoded(resource: nil, findings: elementModelFindings(bytes, format, limits))
            }
            guard diagnostic.code == .unknownElement || diagnostic.code == .elementOrder,
                  let (resource, dropped) = try? lenient(bytes, format, limits)
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

    /// The element model's definitions, for records of the types outside the IVIG set.
    static let baseR4 = FHIRLayoutIndex(FHIRDefinitions.baseR4)

    /// A record of a type outside the IVIG set: read with the element model, as strictly as
    /// the typed readers read; what that reader refuses is the finding. Structure validation
    /// from the definitions (cardinality, bindings, invariants) is not done here.
    private static func elementModelFindings(
        _ bytes: [UInt8], _ format: ValidationSource.Format, _ limits: FHIRReadLimits
    ) -> [ValidationFinding] {
        do throws(FHIRDiagnostic) {
            switch format {
            case .xml: _ = try FHIRElementXMLReader(index: baseR4, limits: limits).read(bytes)
            default: _ = try FHIRElementJSONReader(index: baseR4, limits: limits).read(bytes)
            }
            return []
        } catch {
            return [finding(for: error)]
        }
    }

    private static func strict(
        _ bytes: [UInt8], _ format: ValidationSource.Format, _ limits: FHIRReadLimits
    ) throws(FHIRDiagnostic) -> AnyResource {
        switch format {
        case .xml: return try FHIRXMLDecoder(limits: limits).decode(AnyResource.self, from: bytes)
        default: return try FHIRJSONDecoder(limits: limits).decode(AnyResource.self, from: bytes)
        }
    }

    private static func lenient(
        _ bytes: [UInt8], _ format: ValidationSource.Format, _ limits: FHIRReadLimits
    ) throws(FHIRDiagnostic) -> (AnyResource, [FHIRDiagnostic]) {
        switch format {
        case .xml:
            let result = try FHIRXMLDecoder(limits: limits).decodeLeniently(AnyResource.self, from: bytes)
            return (result.value, result.dropped)
        default:
            let result = try FHIRJSONDecoder(limits: limits).decodeLeniently(AnyResource.self, from: bytes)
            return (result.value, result.dropped)
        }
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
        return ValidationFinding(severity, type, rule: rule, diagnostic.message + note, at: diagnostic.fhirPath, location: diagnostic.location)
    }
}

extension String {
    /// The lenient decoder says an element "was dropped"; validation reports it as an error.
    func replacingDropped() -> String {
        guard let range = range(of: " was dropped") else { return self }
        return replacingCharacters(in: range, with: "")
    }
}
