/// A problem found while reading or writing FHIR: what is wrong, where (file, line, column and
/// the FHIRPath of the element) and why. Thrown for errors; collected for warnings.
///
/// `description` is compiler style: `file:line:col: error: message [FHIRPath]`.
public struct FHIRDiagnostic: Error, Hashable, Sendable, CustomStringConvertible {
    /// How serious a diagnostic is.
    public enum Severity: String, Hashable, Sendable {
        case error, warning
    }

    /// What kind of problem it is. A struct over a private enum, so codes can be added
    /// without breaking callers that switch over them.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }
        public var description: String { name }

        /// The bytes are not well-formed (JSON or XML syntax).
        public static let syntax = Code("syntax")
        /// The input is not valid UTF-8.
        public static let invalidUTF8 = Code("invalid-utf8")
        /// A string escape is malformed (`\x`, a lone surrogate, a control character).
        public static let invalidEscape = Code("invalid-escape")
        /// A number FHIR forbids (leading zeros, `NaN`, `+1`, `.5`).
        public static let invalidNumber = Code("invalid-number")
        /// An object has the same key twice.
        public static let duplicateKey = Code("duplicate-key")
        /// An empty object, array or string, which FHIR JSON forbids.
        public static let emptyValue = Code("empty-value")
        /// A `null` where FHIR JSON allows none (only holes in primitive arrays may be null).
        public static let unexpectedNull = Code("unexpected-null")
        /// A value of the wrong JSON or XML type (a string for a boolean, an object for a string).
        public static let wrongType = Code("wrong-type")
        /// Nesting deeper than the reader's limit.
        public static let tooDeep = Code("too-deep")
        /// An input larger than the reader's limit.
        public static let tooLarge = Code("too-large")
        /// More than one type of a `[x]` choice element.
        public static let multipleChoices = Code("multiple-choices")
        /// An element out of specification order (XML, where order is part of the format).
        public static let elementOrder = Code("element-order")
        /// An element the model does not know.
        public static let unknownElement = Code("unknown-element")
        /// A resource type outside the supported set.
        public static let unsupportedResourceType = Code("unsupported-resource-type")
        /// A primitive whose text does not match its type's format (dates, decimals).
        public static let invalidPrimitive = Code("invalid-primitive")
        /// A required part of the document is missing (`resourceType`).
        public static let missing = Code("missing")
        /// Anything else the model rejected.
        public static let invalidValue = Code("invalid-value")
    }

    public var severity: Severity
    public var code: Code
    /// What is wrong, for a person: the value found and what was expected.
    public var message: String
    /// The FHIRPath of the element at fault, e.g. `MedicationRequest.dosageInstruction[0]`.
    public var fhirPath: String?
    /// Where in the input, when known.
    public var location: SourceLocation?
    /// The input's name (a file path or `-`), when known.
    public var file: String?

    public init(
        _ severity: Severity = .error, code: Code, message: String,
        fhirPath: String? = nil, location: SourceLocation? = nil, file: String? = nil
    ) {
        self.severity = severity
        self.code = code
        self.message = message
        self.fhirPath = fhirPath
        self.location = location
        self.file = file
    }

    /// The same diagnostic attributed to a named input.
    public func inFile(_ name: String?) -> FHIRDiagnostic {
        var copy = self
        copy.file = name
        return copy
    }

    public var description: String {
        var text = ""
        if let file { text += Self.printable(file) + ":" }
        if let location { text += "\(location.line):\(location.column):" }
        if !text.isEmpty { text += " " }
        text += "\(severity.rawValue): \(Self.printable(message))"
        if let fhirPath { text += " [\(Self.printable(fhirPath))]" }
        return text
    }

    /// `text` with every control character (and the two noncharacters XML 1.0 cannot carry)
    /// written as `\u{1B}`: messages quote the input, and a hostile input must not send escape
    /// sequences to a terminal or make a report unwritable as XML.
    public static func printable(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isUnprintable) else { return text }
        var result = ""
        for scalar in text.unicodeScalars {
            if isUnprintable(scalar) {
                result += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    private static func isUnprintable(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar.value == 0xFFFE || scalar.value == 0xFFFF
    }
}
