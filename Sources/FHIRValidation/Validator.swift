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
/// for record in context.records.indices {
///     let findings = validator.validate(record: record, in: context)
/// }
/// ```
public struct Validator: Sendable {
    /// The IVIG dosing thresholds and product table; `nil` checks structure and units only.
    public var rules: DosingRules?

    /// Creates a validator.
    /// - Parameter rules: The dosing rules (`Mappings/ivig-dosing-rules.json`), or `nil` for no dosing checks.
    public init(rules: DosingRules? = nil) {
        self.rules = rules
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
        let resource = context.records[record]
        var findings = StructureValidator.validate(resource)
        if let rules {
            findings += DosingValidator(rules: rules, context: context).validate(record: record)
        }
        return findings
    }
}
