public import FHIRElementModel
import FHIRJSON
public import FHIRPackages
public import FHIRValidation

/// Validates a resource of any R4 type against the definitions: the StructureDefinition of its
/// type, the profiles it claims (`meta.profile`) or is given, and the extensions it carries,
/// the way the HL7 validator does for R4, offline.
///
/// ```swift
/// let definitions = try FHIRDefinitions(packages: [FHIRPackage(path: "hl7.fhir.us.core-3.1.0.tgz")])
/// let validator = ConformanceValidator(definitions: definitions, options: .init(
///     profiles: ["http://hl7.org/fhir/us/core/StructureDefinition/us-core-patient"]))
/// let findings = validator.validate(patient)        // patient: an FHIRElement
/// ```
///
/// Checked, for every element: cardinality, types, `fixed[x]`, `pattern[x]`, `maxLength`,
/// required (error) and extensible (warning) bindings against ValueSets expanded from the
/// packages, and every invariant (`constraint.expression`) by the FHIRPath engine, with the
/// constraint's key as the rule id and its severity. Extensions are resolved by `url` (context,
/// value type, cardinality, modifier or not); slicing follows its discriminators (value,
/// pattern, type, profile, exists), ordered and closed. In a Bundle, references are resolved
/// to their entries and the target's type checked; `fullUrl` agrees with the resource id, and
/// a link relation appears once. The core vital-signs profiles apply to the Observations whose
/// LOINC code they claim, as the HL7 validator applies them in R4.
public struct ConformanceValidator: Sendable {
    /// What to validate against, beyond the resource's own type.
    public struct Options: Sendable {
        /// Profiles (canonical URLs) every resource at the root is validated against, besides
        /// those it claims in `meta.profile` (`--profile`).
        public var profiles: [String]
        /// How an extension whose definition is not loaded is reported (`--unknown-extensions`).
        public var unknownExtensionSeverity: ValidationFinding.Severity
        /// Whether the core vital-signs profiles apply to Observations by their LOINC code.
        public var appliesVitalSignsProfiles: Bool
        /// How a failed best-practice invariant (`dom-6`, `con-3`: a constraint with the
        /// `elementdefinition-bestpractice` extension) is reported; nil leaves them unevaluated.
        /// A warning by default, as in the HL7 validator (`--best-practice`).
        public var bestPracticeSeverity: ValidationFinding.Severity?
        /// Whether the unit of every Quantity (and Age, Count, Distance, Duration) is checked
        /// against UCUM, as the units layer of `FHIRValidation`'s `Validator` checks the IVIG set.
        public var checksUnits: Bool

        public init(
            profiles: [String] = [], unknownExtensionSeverity: ValidationFinding.Severity = .warning,
            appliesVitalSignsProfiles: Bool = true, bestPracticeSeverity: ValidationFinding.Severity? = .warning,
            checksUnits: Bool = false
        ) {
            self.profiles = profiles
            self.unknownExtensionSeverity = unknownExtensionSeverity
            self.appliesVitalSignsProfiles = appliesVitalSignsProfiles
            self.bestPracticeSeverity = bestPracticeSeverity
            self.checksUnits = checksUnits
        }
    }

    /// The definitions: base R4 and the packages loaded.
    public let definitions: FHIRDefinitions
    /// What to validate against.
    public var options: Options
    let book: RuleBook
    let terminology: LocalTerminology

    /// A validator over `definitions` (base R4 alone by default).
    public init(definitions: FHIRDefinitions = .baseR4, options: Options = Options()) {
        self.definitions = definitions
        self.options = options
        book = RuleBook(definitions: definitions)
        terminology = LocalTerminology(
            valueSet: { definitions.terminologyJSON(url: $0, resourceType: "ValueSet") },
            codeSystem: { definitions.terminologyJSON(url: $0, resourceType: "CodeSystem") })
    }

    /// A validator with other options sharing this one's compiled definitions and expansions
    /// (for `conformsTo` and `profile` discriminators).
    init(sharing other: ConformanceValidator, options: Options) {
        definitions = other.definitions
        self.options = options
        book = other.book
        terminology = other.terminology
    }

    /// The profiles of ``Options/profiles`` that no loaded package defines.
    public var unknownProfiles: [String] {
        options.profiles.filter { book.structure(url: $0) == nil }
    }

    /// Every finding on one resource (a Bundle's entries and contained resources included),
    /// each with its FHIRPath and, when the element model knows it, its line and column.
    public func validate(_ resource: FHIRElement) -> [ValidationFinding] {
        var walk = ConformanceWalk(validator: self)
        walk.resource(resource, profiles: options.profiles)
        // A profile repeats its base's rules (a binding, a cardinality): one finding per rule and place.
        var seen: Set<String> = []
        return walk.findings.filter { seen.insert("\($0.severity) \($0.ruleID) \($0.fhirPath ?? "")").inserted }
    }
}
