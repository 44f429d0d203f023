public import ExactArithmetic

/// What a unit measures: exponents of UCUM's seven base units (m, s, g, rad, K, C, cd) plus any
/// arbitrary units (`[IU]`, `[arb'U]`), which are commensurable only with themselves.
public struct UCUMDimension: Sendable, Hashable {
    /// Exponents of the base units in UCUM table order: m, s, g, rad, K, C, cd.
    public internal(set) var exponents: [Int]
    /// Exponents of arbitrary units, by code (`[iU]` for both `[iU]` and `[IU]`).
    public internal(set) var arbitrary: [String: Int]

    init(exponents: [Int] = [0, 0, 0, 0, 0, 0, 0], arbitrary: [String: Int] = [:]) {
        self.exponents = exponents
        self.arbitrary = arbitrary
    }

    /// Whether every exponent is zero: a pure number such as `%`, `10*3` or `mg/g`.
    public var isDimensionless: Bool { exponents.allSatisfy { $0 == 0 } && arbitrary.isEmpty }

    static func + (a: UCUMDimension, b: UCUMDimension) -> UCUMDimension {
        var out = a
        for i in out.exponents.indices { out.exponents[i] += b.exponents[i] }
        for (code, e) in b.arbitrary {
            let sum = out.arbitrary[code, default: 0] + e
            out.arbitrary[code] = sum == 0 ? nil : sum
        }
        return out
    }

    func power(_ n: Int) -> UCUMDimension {
        UCUMDimension(
            exponents: exponents.map { $0 * n }, arbitrary: arbitrary.mapValues { $0 * n }.filter { $0.value != 0 })
    }

    /// The dimension as base units, such as `g.m-1` or `1` for a pure number, in UCUM table
    /// order with arbitrary units last.
    public var baseUnitExpression: String {
        let codes = UCUMAtomTable.shared.baseCodes
        var parts: [String] = []
        for (i, e) in exponents.enumerated() where e != 0 {
            parts.append(e == 1 ? codes[i] : "\(codes[i])\(e)")
        }
        for (code, e) in arbitrary.sorted(by: { $0.key < $1.key }) {
            parts.append(e == 1 ? code : "\(code)\(e)")
        }
        return parts.isEmpty ? "1" : parts.joined(separator: ".")
    }
}

/// A unit reduced to base units: `factor × dimension`. `mL` is `1/1000000 m3`.
public struct UCUMCanonicalForm: Sendable, Hashable {
    /// The exact factor in base units (`0.45359237/1000 …` is kept as a fraction).
    public let factor: ExactRational
    /// What the unit measures.
    public let dimension: UCUMDimension

    init(factor: ExactRational, dimension: UCUMDimension = UCUMDimension()) {
        self.factor = factor
        self.dimension = dimension
    }

    static let unity = UCUMCanonicalForm(factor: .one)

    static func * (a: UCUMCanonicalForm, b: UCUMCanonicalForm) -> UCUMCanonicalForm {
        UCUMCanonicalForm(factor: a.factor * b.factor, dimension: a.dimension + b.dimension)
    }

    func power(_ n: Int) -> UCUMCanonicalForm {
        UCUMCanonicalForm(factor: factor.power(n), dimension: dimension.power(n))
    }

    func scaled(by s: ExactRational) -> UCUMCanonicalForm {
        UCUMCanonicalForm(factor: factor * s, dimension: dimension)
    }
}
