public import FHIRCore

/// Validates FHIR resources: structure (from the R4 definitions), units (UCUM) and, with
/// dosing rules, IVIG dosing across the resources of a ``ValidationContext``.
///
/// ```swift
/// let rules = try DosingRules(contentsOf: "Mappings/ivig-dosing-rules.json")
/// let validator = Validator(rules: rules)
/// let findings = validator.validate(bundle)                    // a Bundle is its own context
///
/// let context = ValidationContext(records: [order, weight, administration])  // a batch
/// let perRecord = validator.validate(records: Array(context.records.indices), in: context)
/// ```
public struct Validator: Sendable {
    /// The layers of validation; each can run alone.
    public struct Layers: OptionSet, Sendable {
        /// The layers as bits.
        public let rawValue: Int
        /// Layers from bits.
        public init(rawValue: Int) { self.rawValue = rawValue }

        /// Cardinality, bindings, formats, references, contained resources and invariants.
        public static let structure = Layers(rawValue: 1)
        /// UCUM units of every Quantity.
        public static let units = Layers(rawValue: 2)
        /// IVIG dosing rules, with the information findings about missing context.
        public static let dosing = Layers(rawValue: 4)
        /// Every layer.
        public static let all: Layers = [.structure, .units, .dosing]
    }

    /// The IVIG dosing thresholds and product table; `nil` checks structure and units only.
    public var rules: DosingRules?
    /// The layers to run.
    public var layers: Layers

    /// Creates a validator.
    /// - Parameters:
    ///   - rules: The dosing rules (`Mappings/ivig-dosing-rules.json`), or `nil` for no dosing checks.
    ///   - layers: The layers to run (all by default).
    public init(rules: DosingRules? = nil, layers: Layers = .all) {
        self.rules = rules
        self.layers = layers
    }

    /// Validates one resource on its own: it is its own context (a Bundle's entries are checked
    /// against each other), and whatever it lacks is reported as missing context.
    public func validate(_ resource: AnyResource) -> [ValidationFinding] {
        validate(record: 0, in: ValidationContext(records: [resource]))
    }

    /// Validates one record of a context (a file, an NDJSON line, one resource of a batch)
    /// against all the others: the findings are about this record's resources only.
    ///
    /// - Parameters:
    ///   - record: The index of the record in `context.records`.
    ///   - context: Every record given together (a Bundle, an NDJSON file, several files).
    public func validate(record: Int, in context: ValidationContext) -> [ValidationFinding] {
        validate(records: [record], in: context)[0]
    }

    /// Validates several records of a context against all the others, as
    /// ``validate(record:in:)`` does each, but working out what the records share (an order's
    /// facts and course, which each of its administrations is checked against) once.
    ///
    /// - Parameters:
    ///   - records: Indexes in `context.records`.
    ///   - context: Every record given together.
    /// - Returns: The findings of each record in `records`, in the same order.
    public func validate(records: [Int], in context: ValidationContext) -> [[ValidationFinding]] {
        let dosing = rules.map { DosingValidator(rules: $0, context: context) }
        return records.map { record in validate(record: record, in: context, dosing: dosing) }
    }

    private func validate(record: Int, in context: ValidationContext, dosing: DosingValidator?)
        -> [ValidationFinding]
    {
        let resource = context.records[record]
        var findings: [ValidationFinding] = []
        if !layers.isDisjoint(with: [.structure, .units]) {
            // One walk finds both; keep the layers asked for.
            findings = StructureValidator.validate(resource).filter { finding in
                let isUnit = ValidationRuleCatalog.rule(finding.ruleID)?.layer == .units
                return layers.contains(isUnit ? .units : .structure)
            }
        }
        if let dosing, layers.contains(.dosing) {
            findings += dosing.validate(record: record)
        }
        return findings
    }
}
