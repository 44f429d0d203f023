/// A `<prefix>` of ucum-essence.xml, as the generator writes it.
struct PrefixDefinition: Sendable {
    let code: String
    let name: String
    let printSymbol: String
    /// The factor as decimal text (`1e-3`).
    let value: String
}

/// A `<base-unit>` of ucum-essence.xml.
struct BaseUnitDefinition: Sendable {
    let code: String
    let name: String
    let printSymbol: String
    let property: String
    /// The dimension letter (`L`, `T`, `M`, `A`, `C`, `Q`, `F`).
    let dimension: String
}

/// The `<function>` of a special unit: `x` of the unit is `F(x)` times `value` `unit`.
struct FunctionDefinition: Sendable {
    let name: String
    let value: String
    let unit: String
}

/// A `<unit>` of ucum-essence.xml.
struct UnitDefinition: Sendable {
    let code: String
    let name: String
    let printSymbol: String
    let property: String
    /// The `class` attribute (`si`, `clinical`, `us-lengths`, …).
    let kind: String
    let isMetric: Bool
    let isArbitrary: Bool
    /// The defining unit expression (`V.s`), or the special form (`cel(1 K)`).
    let valueUnit: String
    /// The defining factor as decimal text, empty for special units.
    let value: String
    /// The conversion function of a special unit (`Cel`, `[degF]`, `[pH]`, …).
    let function: FunctionDefinition?
}

/// Namespace of the generated table (see `Generated/UCUMTable+Generated.swift`).
enum UCUMTable {}
