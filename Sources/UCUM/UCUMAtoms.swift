import ExactArithmetic

/// A unit atom (base unit or defined unit) ready for use: its metadata and its canonical form.
struct UCUMAtom: Sendable {
    let code: String
    let name: String
    let printSymbol: String
    let property: String
    let isMetric: Bool
    let isBase: Bool
    let isArbitrary: Bool
    /// The special function, for `Cel`, `[degF]`, `[pH]`, `B[V]` and the others.
    let special: UCUMSpecialFunction?
    /// The canonical form. For a special unit, the canonical form of its function's unit
    /// (`5 K/9` for `[degF]`): what the unit counts as inside a product.
    let canonical: UCUMCanonicalForm
}

/// A prefix ready for use.
struct UCUMPrefix: Sendable {
    let code: String
    let name: String
    let factor: ExactRational
}

/// The generated table resolved once: every atom's definition parsed and reduced to base units.
struct UCUMAtomTable: Sendable {
    let atoms: [String: UCUMAtom]
    /// Prefixes, longest code first (so `da` is tried before `d`).
    let prefixes: [UCUMPrefix]
    /// Base unit codes in table order (`m`, `s`, `g`, `rad`, `K`, `C`, `cd`).
    let baseCodes: [String]

    /// The table built from `UCUMTable`, shared by every call.
    static let shared: UCUMAtomTable = {
        do { return try UCUMAtomTable() } catch {
            fatalError("the generated UCUM table does not resolve: \(error)")
        }
    }()

    private init() throws(UCUMError) {
        baseCodes = UCUMTable.baseUnitDefinitions.map(\.code)
        prefixes = UCUMTable.prefixDefinitions.map {
            UCUMPrefix(code: $0.code, name: $0.name, factor: ExactRational(ExactDecimal($0.value)!))
        }.sorted { $0.code.utf8.count > $1.code.utf8.count }
        // Pass 1: atoms with placeholder canonical forms, so definitions can be parsed.
        var stubs: [String: UCUMAtom] = [:]
        for (i, base) in UCUMTable.baseUnitDefinitions.enumerated() {
            var exponents = [Int](repeating: 0, count: UCUMTable.baseUnitDefinitions.count)
            exponents[i] = 1
            stubs[base.code] = UCUMAtom(
                code: base.code, name: base.name, printSymbol: base.printSymbol, property: base.property,
                isMetric: true, isBase: true, isArbitrary: false, special: nil,
                canonical: UCUMCanonicalForm(factor: .one, dimension: UCUMDimension(exponents: exponents)))
        }
        let definitions = Dictionary(UCUMTable.unitDefinitions.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
        for unit in UCUMTable.unitDefinitions {
            stubs[unit.code] = UCUMAtom(
                code: unit.code, name: unit.name, printSymbol: unit.printSymbol, property: unit.property,
                isMetric: unit.isMetric, isBase: false, isArbitrary: unit.isArbitrary, special: nil,
                canonical: UCUMCanonicalForm(factor: .one, dimension: UCUMDimension()))
        }
        let stubTable = UCUMAtomTable(atoms: stubs, prefixes: prefixes, baseCodes: baseCodes)
        // Pass 2: resolve definitions depth-first with memoization.
        var resolved: [String: UCUMAtom] = stubs.filter { $0.value.isBase }
        var visiting: Set<String> = []
        func resolve(_ code: String) throws(UCUMError) -> UCUMAtom {
            if let done = resolved[code] { return done }
            guard let unit = definitions[code] else {
                throw UCUMError(.unknownUnit, code, "the UCUM table refers to an undefined unit '\(code)'")
            }
            guard visiting.insert(code).inserted else {
                throw UCUMError(.syntax, code, "the UCUM table defines '\(code)' in terms of itself")
            }
            defer { visiting.remove(code) }
            let canonicalOf = { (expression: String) throws(UCUMError) -> UCUMCanonicalForm in
                let term = try UCUMParser.parse(expression, table: stubTable)
                return try term.canonical { atomCode throws(UCUMError) in try resolve(atomCode).canonical }
            }
            var special: UCUMSpecialFunction?
            var canonical: UCUMCanonicalForm
            if let function = unit.function {
                guard let kind = UCUMSpecialFunction.Kind(rawValue: function.name),
                    let value = ExactDecimal(function.value)
                else {
                    throw UCUMError(.specialUnit, code, "unknown special function '\(function.name)' for '\(code)'")
                }
                canonical = try canonicalOf(function.unit).scaled(by: ExactRational(value))
                special = UCUMSpecialFunction(kind: kind, scale: canonical)
            } else {
                guard let value = ExactDecimal(unit.value) else {
                    throw UCUMError(.invalidValue, code, "the UCUM table gives '\(code)' the value '\(unit.value)'")
                }
                canonical = try canonicalOf(unit.valueUnit).scaled(by: ExactRational(value))
                if unit.isArbitrary && canonical.dimension.arbitrary.isEmpty {
                    // An arbitrary unit is its own dimension: [IU] is defined as [iU], which is not
                    // commensurable with anything but itself.
                    canonical = UCUMCanonicalForm(
                        factor: .one, dimension: UCUMDimension(arbitrary: [code: 1]))
                }
            }
            let atom = UCUMAtom(
                code: code, name: unit.name, printSymbol: unit.printSymbol, property: unit.property,
                isMetric: unit.isMetric, isBase: false, isArbitrary: unit.isArbitrary, special: special,
                canonical: canonical)
            resolved[code] = atom
            return atom
        }
        for unit in UCUMTable.unitDefinitions { _ = try resolve(unit.code) }
        atoms = resolved
    }

    private init(atoms: [String: UCUMAtom], prefixes: [UCUMPrefix], baseCodes: [String]) {
        self.atoms = atoms
        self.prefixes = prefixes
        self.baseCodes = baseCodes
    }
}
