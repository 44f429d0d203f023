public import FHIRCore

/// A local record that cannot be read or mapped, or a mapping folder that cannot be loaded.
///
/// It names what a person needs to fix it: the record (kind, id, file and line), the field, the
/// value found and, for codes and units, the ConceptMap that was searched. In a batch the
/// record goes to the rejects with this error as its reason.
///
/// `description` is compiler style:
/// `orders.ndjson:3: error: order "ORD-7", field "indication" = "CIPD": local code not in ConceptMap … [unknown-code]`.
public struct LocalRecordError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What kind of problem it is. A struct over a name, so codes can be added without breaking
    /// callers that switch over them.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }
        public var description: String { name }

        /// A local code (indication, product, kind, status …) that no ConceptMap maps.
        public static let unknownCode = Code("unknown-code")
        /// A unit text that is not in the unit map.
        public static let unknownUnit = Code("unknown-unit")
        /// A required field is absent.
        public static let missingField = Code("missing-field")
        /// A field holds a value of the wrong JSON type (a string where a number belongs).
        public static let wrongType = Code("wrong-type")
        /// A value of the right type that is still not acceptable (a date that is no date,
        /// a weight in mL).
        public static let invalidValue = Code("invalid-value")
        /// A field the local schema does not define (it would be lost on the way to FHIR).
        public static let unknownField = Code("unknown-field")
        /// The line is not a JSON object, or not JSON at all.
        public static let notARecord = Code("not-a-record")
        /// FHIR codings that map back to more than one local code, or to none.
        public static let ambiguousCode = Code("ambiguous-code")
        /// A FHIR resource with no local record kind (only MedicationRequest,
        /// MedicationAdministration, Observation and AdverseEvent have one).
        public static let unsupportedResource = Code("unsupported-resource")
        /// The mapping folder itself is wrong (a missing file, a ConceptMap that does not decode,
        /// a target that is no UCUM code).
        public static let invalidMappings = Code("invalid-mappings")
    }

    /// What kind of problem it is.
    public var code: Code
    /// Why, in words, including the value found and what was expected.
    public var message: String
    /// The record's kind (`order`), when known.
    public var recordKind: String?
    /// The record's local id, when known.
    public var recordID: String?
    /// The local field at fault, as a path (`rate_steps[1].rate.unit`).
    public var field: String?
    /// The offending value as written (JSON text), when there is one.
    public var value: String?
    /// The ConceptMap searched: its canonical URL and file name.
    public var conceptMap: String?
    /// For FHIR → local: the FHIRPath of the element at fault.
    public var fhirPath: String?
    /// The input's name (a file path or `-`), when known.
    public var file: String?
    /// The 1-based line of the record in its input, when known.
    public var line: Int?

    /// Creates an error; the record's place is usually filled in later with ``at(_:)``.
    public init(
        _ code: Code, _ message: String, field: String? = nil, value: String? = nil,
        conceptMap: String? = nil, fhirPath: String? = nil
    ) {
        self.code = code
        self.message = message
        self.field = field
        self.value = value
        self.conceptMap = conceptMap
        self.fhirPath = fhirPath
    }

    /// The same error attributed to a record and its place in the input (fields already set win).
    public func about(kind: String?, id: String?, origin: LocalRecordOrigin?) -> LocalRecordError {
        var copy = self
        copy.recordKind = copy.recordKind ?? kind
        copy.recordID = copy.recordID ?? id
        copy.file = copy.file ?? origin?.file
        copy.line = copy.line ?? origin?.line
        return copy
    }

    public var description: String {
        var text = ""
        if let file { text += file + ":" }
        if let line { text += "\(line):" }
        if !text.isEmpty { text += " " }
        text += "error: " + summary
        return text
    }

    /// The description without the file and line prefix.
    public var summary: String {
        var parts: [String] = []
        var subject = ""
        if let recordKind { subject = recordKind }
        if let recordID { subject += (subject.isEmpty ? "record " : " ") + "\"\(recordID)\"" }
        if !subject.isEmpty { parts.append(subject) }
        if let field { parts.append("field \"\(field)\"" + (value.map { " = \($0)" } ?? "")) }
        var text = parts.joined(separator: ", ")
        text += (text.isEmpty ? "" : ": ") + message
        if let conceptMap { text += " (searched ConceptMap \(conceptMap))" }
        if let fhirPath { text += " [\(fhirPath)]" }
        return text + " [\(code)]"
    }

    /// The same problem as a ``FHIRDiagnostic``, for pipelines that report every reject one way.
    ///
    /// The message is ``summary``; the location is the record's line, column 1 (a local error
    /// names a field, not a column, and the byte offset is not tracked, so it is 0).
    public var diagnostic: FHIRDiagnostic {
        let fhirCode: FHIRDiagnostic.Code
        switch code {
        case .missingField: fhirCode = .missing
        case .wrongType: fhirCode = .wrongType
        case .unknownField: fhirCode = .unknownElement
        case .notARecord: fhirCode = .syntax
        case .unsupportedResource: fhirCode = .unsupportedResourceType
        default: fhirCode = .invalidValue
        }
        return FHIRDiagnostic(
            .error, code: fhirCode, message: summary, fhirPath: nil,
            location: line.map { SourceLocation(line: $0, column: 1, byteOffset: 0) }, file: file)
    }
}

/// Where a local record came from: the input's name and the record's line.
public struct LocalRecordOrigin: Hashable, Sendable {
    /// The input's name (a file path or `-`), when known.
    public var file: String?
    /// The 1-based line of the record.
    public var line: Int?

    /// Creates an origin.
    public init(file: String? = nil, line: Int? = nil) {
        self.file = file
        self.line = line
    }
}
