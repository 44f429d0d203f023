import ExactArithmetic

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// FHIRPath's math functions. `abs`, `ceiling`, `floor`, `round` and `truncate` are exact;
/// `exp`, `ln`, `log`, `sqrt` and non-integer `power` have no exact decimal result and go
/// through binary floating point.
enum FHIRPathMath {
    static func apply(_ function: FHIRPathFunction, _ value: FHIRPathValue, _ argument: FHIRPathValue?)
        throws(FHIRPathArithmeticFailure) -> FHIRPathValue?
    {
        if case .quantity(let q) = value, function == .abs {
            return .quantity(FHIRPathQuantity(value: q.value.magnitude, unit: q.unit))
        }
        guard let number = value.decimalValue else {
            throw FHIRPathArithmeticFailure(message: "'\(function.rawValue)' needs a number")
        }
        let isInteger: Bool
        if case .integer = value { isInteger = true } else { isInteger = false }
        switch function {
        case .abs:
            return isInteger ? .integer(Swift.abs(integer(number) ?? 0)) : .decimal(number.magnitude)
        case .ceiling:
            return integer(number.rounded(toExponent: 0, rounding: number.isNegative ? .towardZero : .awayFromZero)).map
            { .integer($0) }
        case .floor:
            return integer(number.rounded(toExponent: 0, rounding: number.isNegative ? .awayFromZero : .towardZero)).map
            { .integer($0) }
        case .truncate:
            return integer(number.rounded(toExponent: 0, rounding: .towardZero)).map { .integer($0) }
        case .round:
            var places = 0
            if let argument {
                guard case .integer(let digits) = argument, digits >= 0 else {
                    throw FHIRPathArithmeticFailure(message: "'round' needs a precision of 0 or more")
                }
                places = digits
            }
            return .decimal(number.rounded(toExponent: -places, rounding: .toNearestOrAwayFromZero))
        case .sqrt:
            if number.isNegative { return nil }
            return decimal(Double(number.description).map { $0.squareRoot() })
        case .exp:
            return decimal(Double(number.description).map { Glibc_exp($0) })
        case .ln:
            guard let x = Double(number.description), x > 0 else { return nil }
            return decimal(Glibc_log(x))
        case .log:
            guard let base = argument?.decimalValue, let b = Double(base.description),
                let x = Double(number.description),
                x > 0, b > 0, b != 1
            else { return nil }
            return decimal(Glibc_log(x) / Glibc_log(b))
        case .power:
            guard let exponent = argument?.decimalValue else { return nil }
            if isInteger, case .integer(let power)? = argument {
                guard power >= 0 else {
                    return decimal(Double(number.description).map { Glibc_pow($0, Double(power)) })
                }
                var result = ExactDecimal(1)
                for _ in 0..<min(power, 4096) {
                    result = result * number
                    // Past 64 bits `integer` gives nil anyway; stop before the digits pile up.
                    if result.significandBitWidth > 64 { return nil }
                }
                return integer(result).map { .integer($0) }
            }
            if let power = integer(exponent), power >= 0, power <= 4096,
                exponent.fractionDigits == 0 || exponent == ExactDecimal(power)
            {
                var result = ExactDecimal(1)
                for _ in 0..<power {
                    result = result * number
                    try FHIRPathArithmetic.checkRange(.decimal(result), of: "'power'")
                }
                return .decimal(result)
            }
            guard let x = Double(number.description), let y = Double(exponent.description) else { return nil }
            let result = Glibc_pow(x, y)
            return result.isNaN ? nil : decimal(result)
        default:
            return nil
        }
    }

    private static func integer(_ value: ExactDecimal) -> Int? {
        Int(value.rounded(toExponent: 0, rounding: .towardZero).description)
    }

    /// A Double's shortest text as a decimal (`1e-05` written out).
    static func decimal(_ value: Double?) -> FHIRPathValue? {
        guard let value, value.isFinite else { return nil }
        let text = "\(value)"
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            guard let mantissa = ExactDecimal(String(text[..<e])), let power = Int(text[text.index(after: e)...]) else {
                return nil
            }
            return .decimal(mantissa.scaled(byPowerOfTen: power))
        }
        return ExactDecimal(text).map { .decimal($0) }
    }

    private static func Glibc_exp(_ x: Double) -> Double { exp(x) }
    private static func Glibc_log(_ x: Double) -> Double { log(x) }
    private static func Glibc_pow(_ x: Double, _ y: Double) -> Double { pow(x, y) }
}
