import ExactArithmetic
import UCUM

/// Why an arithmetic operation failed.
struct FHIRPathArithmeticFailure: Error {
    var message: String
    var stage: FHIRPathError.Stage = .execution
}

/// FHIRPath's arithmetic: exact decimals, integer overflow as an error, quantities through
/// UCUM, dates moved by calendar durations.
enum FHIRPathArithmetic {
    /// Significant digits kept when a quotient does not terminate (`1 / 3`).
    static let divisionDigits = 28

    /// Bounds on a decimal result: at most about 100 significant digits (340 bits) and a
    /// power of ten within ±400. FHIRPath's decimals need 28 digits; without a bound, exact
    /// arithmetic lets a short expression such as `(2.0).repeat($this * $this)` or
    /// `(3).repeat($this / 2)` build numbers whose every operation takes longer than the last.
    static let maximumDecimalBits = 340
    static let maximumDecimalExponent = 400

    /// The result of `a op b`, or nil (empty) where FHIRPath says so (division by zero).
    static func apply(_ op: FHIRPathOperator, _ a: FHIRPathValue, _ b: FHIRPathValue)
        throws(FHIRPathArithmeticFailure) -> FHIRPathValue?
    {
        let result = try unbounded(op, a, b)
        try checkRange(result, of: "'\(op.rawValue)'")
        return result
    }

    /// Throws an overflow failure when `value` is a decimal or quantity past the bounds above.
    static func checkRange(_ value: FHIRPathValue?, of operation: @autoclosure () -> String)
        throws(FHIRPathArithmeticFailure)
    {
        let number: ExactDecimal
        switch value {
        case .decimal(let x)?: number = x
        case .quantity(let q)?: number = q.value
        default: return
        }
        if number.significandBitWidth > maximumDecimalBits
            || abs(number.exponent) > maximumDecimalExponent
        {
            throw FHIRPathArithmeticFailure(
                message: "decimal overflow in \(operation()): the result needs more than about 100 digits"
                    + " or a power of ten beyond ±\(maximumDecimalExponent)")
        }
    }

    private static func unbounded(_ op: FHIRPathOperator, _ a: FHIRPathValue, _ b: FHIRPathValue)
        throws(FHIRPathArithmeticFailure) -> FHIRPathValue?
    {
        switch (a, b) {
        case (.integer(let x), .integer(let y)):
            return try integer(op, x, y)
        case (.string(let x), .string(let y)) where op == .add:
            return .string(x + y)
        case (.quantity(let x), .quantity(let y)):
            return try quantity(op, x, y)
        case (.quantity(let x), _) where b.decimalValue != nil && (op == .multiply || op == .divide):
            return try quantity(op, x, FHIRPathQuantity(value: b.decimalValue!, unit: "1"))
        case (_, .quantity(let y)) where a.decimalValue != nil && op == .multiply:
            return try quantity(op, FHIRPathQuantity(value: a.decimalValue!, unit: "1"), y)
        case (.date(let x), .quantity(let q)), (.dateTime(let x), .quantity(let q)), (.time(let x), .quantity(let q)):
            guard op == .add || op == .subtract else { break }
            let moved = try move(x, by: q, negate: op == .subtract)
            switch a {
            case .date: return .date(moved)
            case .dateTime: return .dateTime(moved)
            default: return .time(moved)
            }
        default:
            if let x = a.decimalValue, let y = b.decimalValue { return try decimal(op, x, y) }
        }
        throw FHIRPathArithmeticFailure(
            message: "'\(op.rawValue)' does not apply to \(a.typeSpecifier.name) and \(b.typeSpecifier.name)")
    }

    private static func integer(_ op: FHIRPathOperator, _ x: Int, _ y: Int) throws(FHIRPathArithmeticFailure)
        -> FHIRPathValue?
    {
        let result: (Int, Bool)
        switch op {
        case .add: result = x.addingReportingOverflow(y)
        case .subtract: result = x.subtractingReportingOverflow(y)
        case .multiply: result = x.multipliedReportingOverflow(by: y)
        case .div:
            if y == 0 { return nil }
            result = x.dividedReportingOverflow(by: y)
        case .mod:
            if y == 0 { return nil }
            result = x.remainderReportingOverflow(dividingBy: y)
        case .divide:
            return try decimal(op, ExactDecimal(x), ExactDecimal(y))
        default:
            throw FHIRPathArithmeticFailure(message: "'\(op.rawValue)' does not apply to integers")
        }
        guard !result.1, result.0 >= Int(Int32.min), result.0 <= Int(Int32.max) else {
            throw FHIRPathArithmeticFailure(message: "integer overflow in '\(op.rawValue)'")
        }
        return .integer(result.0)
    }

    private static func decimal(_ op: FHIRPathOperator, _ x: ExactDecimal, _ y: ExactDecimal)
        throws(FHIRPathArithmeticFailure) -> FHIRPathValue?
    {
        switch op {
        case .add: return .decimal(x + y)
        case .subtract: return .decimal(x - y)
        case .multiply: return .decimal(x * y)
        case .divide:
            guard let quotient = divide(x, y) else { return nil }
            return .decimal(quotient)
        case .div:
            guard !y.isZero, let quotient = x.divided(by: y, significantDigits: 60) else { return nil }
            return .integer(Int(quotient.rounded(toExponent: 0, rounding: .towardZero).description) ?? 0)
        case .mod:
            guard !y.isZero, let quotient = x.divided(by: y, significantDigits: 60) else { return nil }
            let whole = quotient.rounded(toExponent: 0, rounding: .towardZero)
            return .decimal(x - whole * y)
        default:
            throw FHIRPathArithmeticFailure(message: "'\(op.rawValue)' does not apply to decimals")
        }
    }

    /// `x / y` exactly when it terminates, else to ``divisionDigits`` significant digits; nil for
    /// division by zero.
    static func divide(_ x: ExactDecimal, _ y: ExactDecimal) -> ExactDecimal? {
        guard !y.isZero else { return nil }
        if let exact = x.dividedExactly(by: y), exact.significantDigits <= divisionDigits { return exact }
        return x.divided(by: y, significantDigits: divisionDigits)
    }

    private static func quantity(_ op: FHIRPathOperator, _ x: FHIRPathQuantity, _ y: FHIRPathQuantity)
        throws(FHIRPathArithmeticFailure) -> FHIRPathValue?
    {
        switch op {
        case .add, .subtract:
            guard let converted = FHIRPathEquality.convert(y, to: x) else {
                throw FHIRPathArithmeticFailure(message: "cannot add or subtract '\(x.unit)' and '\(y.unit)'")
            }
            return .quantity(
                FHIRPathQuantity(value: op == .add ? x.value + converted : x.value - converted, unit: x.unit))
        case .multiply, .divide:
            if op == .divide, y.value.isZero { return nil }
            do {
                let a = UCUMQuantity(value: x.value, unit: x.ucumUnit)
                let b = UCUMQuantity(value: y.value, unit: y.ucumUnit)
                let product = op == .multiply ? try UCUM.multiply(a, b) : try UCUM.divide(a, b)
                return .quantity(
                    FHIRPathQuantity(value: product.value, unit: product.unit.isEmpty ? "1" : product.unit))
            } catch {
                throw FHIRPathArithmeticFailure(
                    message: "cannot \(op == .multiply ? "multiply" : "divide") '\(x.unit)' and '\(y.unit)': \(error)")
            }
        default:
            throw FHIRPathArithmeticFailure(message: "'\(op.rawValue)' does not apply to quantities")
        }
    }

    /// A date or time moved by a duration. Calendar keywords and UCUM definite durations
    /// (`wk`, `d`, `h`, `min`, `s`, `ms`) are accepted; UCUM `a` and `mo` are not calendar
    /// years and months, so they are an error. Amounts are truncated to whole units.
    private static func move(_ value: FHIRPathTemporal, by q: FHIRPathQuantity, negate: Bool)
        throws(FHIRPathArithmeticFailure) -> FHIRPathTemporal
    {
        let unit: String
        if let calendar = q.calendarUnit {
            unit = calendar
        } else {
            switch q.unit {
            case "wk": unit = "week"
            case "d": unit = "day"
            case "h": unit = "hour"
            case "min": unit = "minute"
            case "s": unit = "second"
            case "ms": unit = "millisecond"
            default:
                throw FHIRPathArithmeticFailure(
                    message:
                        "'\(q.unit)' is not a duration a date can be moved by (use a calendar unit such as 'month')")
            }
        }
        guard let whole = Int(q.value.rounded(toExponent: 0, rounding: .towardZero).description) else {
            throw FHIRPathArithmeticFailure(message: "duration \(q.value) is out of range")
        }
        var amount = negate ? -whole : whole
        var effectiveUnit = unit
        // A duration finer than the value's precision is converted to that precision first
        // (`@2016 + 365 days` moves by whole years).
        let order = ["year", "month", "week", "day", "hour", "minute", "second", "millisecond"]
        let precisionUnit: String
        switch value.precision {
        case .year: precisionUnit = "year"
        case .month: precisionUnit = "month"
        case .day: precisionUnit = "day"
        case .hour: precisionUnit = "hour"
        case .minute: precisionUnit = "minute"
        default: precisionUnit = "millisecond"
        }
        if value.hasDate, let u = order.firstIndex(of: unit), let p = order.firstIndex(of: precisionUnit), u > p {
            let days: [String: Int] = ["week": 7, "day": 1]
            switch (precisionUnit, unit) {
            case ("year", "month"): amount /= 12
            case ("year", _) where days[unit] != nil: amount = amount * days[unit]! / 365
            case ("month", _) where days[unit] != nil: amount = amount * days[unit]! / 30
            default: break
            }
            if precisionUnit == "year" || precisionUnit == "month" { effectiveUnit = precisionUnit }
        }
        guard let moved = value.adding(amount, unit: effectiveUnit) else {
            throw FHIRPathArithmeticFailure(message: "the date moved out of range")
        }
        return moved
    }
}
