/// A valid UCUM unit expression, parsed and reduced to base units.
///
/// ```swift
/// let rate = try UCUMUnit("mL/kg/h")
/// rate.dimension.baseUnitExpression   // "m3.s-1.g-1"
/// rate.displayName                    // "(milliliter) / (kilogram) / (hour)"
/// ```
public struct UCUMUnit: Sendable, CustomStringConvertible {
    /// The expression as written (case-sensitive UCUM: `mL`, `[lb_av]`, `10*3{copies}/mL`).
    public let code: String
    let term: UCUMTerm
    /// The unit reduced to base units. A special unit counts as its function's unit here
    /// (`Cel` as `1 K`); converting values through the special function is
    /// ``UCUM/convert(_:from:to:)-(ExactDecimal,_,_)``'s job.
    public let canonical: UCUMCanonicalForm

    /// Parses and checks `code`. The empty string is read as unity (`1`), as HL7 v3 and
    /// Ucum-java do.
    ///
    /// - Parameter code: A case-sensitive UCUM expression.
    /// - Throws: ``UCUMError`` with the reason and the byte position.
    public init(_ code: String) throws(UCUMError) {
        self.code = code
        self.term = try UCUMParser.parse(code)
        self.canonical = term.canonical
    }

    /// What the unit measures.
    public var dimension: UCUMDimension { canonical.dimension }

    /// Whether the expression contains a special (non-ratio) unit such as `Cel`, `[degF]` or
    /// `[pH]`, whose values convert through a function rather than a factor.
    public var containsSpecialUnit: Bool { !term.specialComponents.isEmpty }

    /// Whether the unit involves an arbitrary unit (`[IU]`, `[arb'U]`), which converts only to
    /// the same arbitrary unit.
    public var isArbitrary: Bool { !canonical.dimension.arbitrary.isEmpty }

    /// Whether values in this unit can be converted to `other` (same dimension).
    public func isCommensurable(with other: UCUMUnit) -> Bool {
        dimension == other.dimension
    }

    /// A longer, readable form: `(milligram) / (kilogram)`; `(unity)` for the empty unit.
    public var displayName: String { UCUMDisplayName.render(term) }

    /// The code as written.
    public var description: String { code }
}
