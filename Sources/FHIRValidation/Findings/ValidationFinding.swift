public import FHIRCore

/// One thing validation found: what is wrong, how serious it is, which rule found it, and where.
///
/// Rendered as an `OperationOutcome.issue` (``OperationOutcome/init(findings:)``) or as a text
/// line for a terminal (``description``):
/// `order.json:57:17: error: infusion rate 12 mg/kg/min is above … [ivig-rate-max] (MedicationRequest.dosageInstruction[0].doseAndRate[0].rateQuantity)`.
public struct ValidationFinding: Hashable, Sendable, CustomStringConvertible {
    /// How serious a finding is; the cases and their meaning are FHIR's `issue-severity`.
    public enum Severity: String, Hashable, Sendable, Comparable, CaseIterable {
        /// The input could not be processed at all (not FHIR, not well-formed): nothing more was checked.
        case fatal
        /// The resource breaks a rule of FHIR or of IVIG dosing.
        case error
        /// Probably a mistake, or outside what the sources support, but not necessarily wrong.
        case warning
        /// Something worth knowing, such as a check that could not be made for want of context.
        case information

        /// `fatal` sorts first (most serious).
        public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rank < rhs.rank }

        private var rank: Int {
            switch self {
            case .fatal: 0
            case .error: 1
            case .warning: 2
            case .information: 3
            }
        }

        /// Whether the severity counts as an error (`fatal` or `error`).
        public var isError: Bool { self <= .error }
    }

    /// A code from FHIR's `issue-type` value set (http://hl7.org/fhir/ValueSet/issue-type): what
    /// kind of problem it is, for software that reads the OperationOutcome.
    public struct IssueType: Hashable, Sendable, CustomStringConvertible {
        /// The code, as FHIR spells it (`code-invalid`, `business-rule`).
        public let code: String
        private init(_ code: String) { self.code = code }
        public var description: String { code }

        /// Content invalid against the specification or a profile.
        public static let invalid = IssueType("invalid")
        /// A structural issue in the content, such as wrong namespace, unable to parse the content completely, invalid syntax, etc.
        public static let structure = IssueType("structure")
        /// A required element is missing.
        public static let required = IssueType("required")
        /// An element or header value is invalid.
        public static let value = IssueType("value")
        /// A content validation rule failed, e.g. a schematron rule (FHIR invariants).
        public static let invariant = IssueType("invariant")
        /// The code or system could not be understood, or it was not valid in the value set.
        public static let codeInvalid = IssueType("code-invalid")
        /// The content/operation failed to pass some business rule (IVIG dosing).
        public static let businessRule = IssueType("business-rule")
        /// Not all data sources typically accessed could be reached, or responded in time.
        public static let incomplete = IssueType("incomplete")
        /// The reference provided was not found.
        public static let notFound = IssueType("not-found")
        /// The resource type or element is not supported.
        public static let notSupported = IssueType("not-supported")
        /// The content exceeded a processing limit (a reader limit: size, depth, string, entries).
        public static let tooCostly = IssueType("too-costly")
        /// An unexpected internal error has occurred.
        public static let exception = IssueType("exception")
        /// A message unrelated to the processing success of the completed operation.
        public static let informational = IssueType("informational")
    }

    /// How serious it is.
    public var severity: Severity
    /// What kind of problem it is (FHIR `issue-type`).
    public var type: IssueType
    /// The stable identifier of the rule that found it (`struct-cardinality-min`, `obs-6`,
    /// `ivig-course-dose`); ``ValidationRuleCatalog`` lists every one.
    public var ruleID: String
    /// A sentence for a pharmacist or an engineer: what is wrong, the value found, what was expected.
    public var message: String
    /// The FHIRPath of the element at fault. Inside a Bundle it names the resource type, as the
    /// HL7 validator does: `Bundle.entry[3].resource.ofType(MedicationRequest).dosageInstruction[0]`.
    public var fhirPath: String?
    /// Line and column in the input, when the input had positions and the element was found there.
    public var location: SourceLocation?
    /// The input's name (a file path, or `-` for standard input), when known.
    public var file: String?

    /// Creates a finding; `location` and `file` are usually filled in when the input is known.
    public init(
        _ severity: Severity, _ type: IssueType, rule ruleID: String, _ message: String,
        at fhirPath: String?, location: SourceLocation? = nil, file: String? = nil
    ) {
        self.severity = severity
        self.type = type
        self.ruleID = ruleID
        self.message = message
        self.fhirPath = fhirPath
        self.location = location
        self.file = file
    }

    /// `file:line:col: severity: message [rule] (FHIRPath)`; parts that are unknown are left out.
    public var description: String {
        var text = ""
        if let file { text += file + ":" }
        if let location { text += "\(location.line):\(location.column):" }
        if !text.isEmpty { text += " " }
        text += "\(severity.rawValue): \(message) [\(ruleID)]"
        if let fhirPath { text += " (\(fhirPath))" }
        return text
    }
}
