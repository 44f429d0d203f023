import BigInt
import ExactArithmetic

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A value on its way through a conversion: exact while only rational steps were taken, or
/// approximate once a logarithm, power or tangent had to be computed in `Double`.
struct UCUMMagnitude: Sendable {
    var value: ExactRational
    var isExact: Bool

    static func exact(_ r: ExactRational) -> UCUMMagnitude { UCUMMagnitude(value: r, isExact: true) }

    /// Wraps a `Double` result, or fails when it is not finite.
    static func approximate(_ d: Double, _ unit: String) throws(UCUMError) -> UCUMMagnitude {
        guard d.isFinite, let decimal = ExactDecimal("\(d)") ?? (d == 0 ? .zero : nil) else {
            throw UCUMError(.outOfDomain, unit, "the value is outside the range of '\(unit)'")
        }
        return UCUMMagnitude(value: ExactRational(decimal), isExact: false)
    }

    var double: Double {
        Double(value.decimal(significantDigits: 20).description) ?? .nan
    }

    func map(_ f: (ExactRational) -> ExactRational) -> UCUMMagnitude {
        UCUMMagnitude(value: f(value), isExact: isExact)
    }
}

/// The function of a special unit: UCUM's `Cel`, `degF`, `degRe`, `pH`, `hpX`/`hpC`/`hpM`/`hpQ`,
/// `ln`, `lg`, `lgTimes2`, `ld`, `sqrt`, `tanTimes100` and `100tan`.
///
/// `x` of the special unit is `toScale(x)` times ``scale`` (its function's value and unit);
/// `fromScale` is the inverse.
struct UCUMSpecialFunction: Sendable {
    enum Kind: String, Sendable {
        case celsius = "Cel", fahrenheit = "degF", reaumur = "degRe"
        case pH = "pH", hpX = "hpX", hpC = "hpC", hpM = "hpM", hpQ = "hpQ"
        case ln = "ln", lg = "lg", lgTimes2 = "lgTimes2", ld = "ld"
        case sqrt = "sqrt", tanTimes100 = "tanTimes100", hundredTan = "100tan"
    }
    let kind: Kind
    /// The function's unit with its value: `1 K` for `Cel`, `5/9 K` for `[degF]`.
    let scale: UCUMCanonicalForm

    private var offset: ExactRational? {
        switch kind {
        case .celsius: return ExactRational(ExactDecimal("273.15")!)
        case .fahrenheit: return ExactRational(ExactDecimal("459.67")!)
        case .reaumur: return ExactRational(ExactDecimal("218.52")!)
        default: return nil
        }
    }

    /// For the exponential kinds: `x ↦ base^(sign · x / divisor)`.
    private var exponential: (base: Int, sign: Int, divisor: Int)? {
        switch kind {
        case .pH, .hpX: return (10, -1, 1)
        case .hpC: return (100, -1, 1)
        case .hpM: return (1000, -1, 1)
        case .hpQ: return (50_000, -1, 1)
        case .lg: return (10, 1, 1)
        case .lgTimes2: return (10, 1, 2)
        case .ld: return (2, 1, 1)
        default: return nil
        }
    }

    /// The value in the function's unit for `x` of the special unit.
    func toScale(_ x: UCUMMagnitude, unit: String) throws(UCUMError) -> UCUMMagnitude {
        if let offset { return x.map { $0 + offset } }
        if let (base, sign, divisor) = exponential {
            let power = x.value.dividing(by: ExactRational(divisor)) * ExactRational(sign)
            if x.isExact, power.denominator == 1, let n = Int(exactly: power.numerator), abs(n) <= 1000 {
                return .exact(ExactRational(base).power(n))
            }
            return try .approximate(pow(Double(base), power.approximateDouble), unit)
        }
        switch kind {
        case .ln: return x.value.isZero ? .exact(.one) : try .approximate(exp(x.double), unit)
        case .sqrt: return x.map { $0 * $0 }
        case .tanTimes100: return try .approximate(atan(x.double / 100), unit)
        case .hundredTan: return try .approximate(atan(x.double / 100) * 180 / Double.pi, unit)
        default: preconditionFailure("unhandled special function \(kind)")
        }
    }

    /// The value of the special unit for `m` in the function's unit.
    func fromScale(_ m: UCUMMagnitude, unit: String) throws(UCUMError) -> UCUMMagnitude {
        if let offset { return m.map { $0 - offset } }
        if let (base, sign, divisor) = exponential {
            guard m.value > .zero else {
                throw UCUMError(.outOfDomain, unit, "'\(unit)' is a logarithmic unit: only a positive value has one")
            }
            if m.isExact, let n = exactLogarithm(m.value, base: base) {
                return .exact(ExactRational(n * sign * divisor))
            }
            return try .approximate(Double(sign * divisor) * log(m.double) / log(Double(base)), unit)
        }
        switch kind {
        case .ln:
            guard m.value > .zero else {
                throw UCUMError(.outOfDomain, unit, "'\(unit)' is a logarithmic unit: only a positive value has one")
            }
            return m.value == .one ? .exact(.zero) : try .approximate(log(m.double), unit)
        case .sqrt:
            guard m.value >= .zero else {
                throw UCUMError(.outOfDomain, unit, "'\(unit)' is a square root: a negative value has none")
            }
            return try .approximate(Foundation_sqrt(m.double), unit)
        case .tanTimes100: return try .approximate(100 * tan(m.double), unit)
        case .hundredTan: return try .approximate(100 * tan(m.double * Double.pi / 180), unit)
        default: preconditionFailure("unhandled special function \(kind)")
        }
    }

    /// `n` when `value == base^n` exactly, else `nil`.
    private func exactLogarithm(_ value: ExactRational, base: Int) -> Int? {
        let guess = (log(value.approximateDouble) / log(Double(base))).rounded()
        guard guess.isFinite, abs(guess) <= 1000 else { return nil }
        let n = Int(guess)
        return ExactRational(base).power(n) == value ? n : nil
    }
}

private func Foundation_sqrt(_ x: Double) -> Double { x.squareRoot() }

extension ExactRational {
    /// The nearest `Double`, for the functions that have no exact form.
    var approximateDouble: Double {
        Double(decimal(significantDigits: 20).description) ?? .nan
    }
}
