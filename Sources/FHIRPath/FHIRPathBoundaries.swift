import ExactArithmetic

/// `lowBoundary`, `highBoundary`, `precision` and `comparable`: what a value's precision says
/// about the range it stands for.
enum FHIRPathBoundaries {
    static func apply(_ function: FHIRPathFunction, _ value: FHIRPathValue, _ argument: FHIRPathValue?)
        -> FHIRPathValue?
    {
        switch function {
        case .precision:
            switch value {
            case .decimal(let number): return .integer(number.fractionDigits)
            case .integer: return .integer(0)
            case .date(let t), .dateTime(let t), .time(let t): return .integer(digits(of: t))
            default: return nil
            }
        case .comparable:
            guard case .quantity(let a) = value, case .quantity(let b)? = argument else { return nil }
            return .boolean(FHIRPathEquality.convert(b, to: a) != nil)
        default:
            var requested: Int?
            if let argument {
                guard case .integer(let digits) = argument else { return nil }
                requested = digits
            }
            let low = function == .lowBoundary
            switch value {
            case .decimal, .integer:
                return decimal(value.decimalValue!, low: low, precision: requested).map { .decimal($0) }
            case .quantity(let q):
                return decimal(q.value, low: low, precision: requested).map {
                    .quantity(FHIRPathQuantity(value: $0, unit: q.unit))
                }
            case .date(let t):
                return temporal(t, low: low, digits: requested ?? 8).map { .date($0) }
            case .dateTime(let t):
                return temporal(t, low: low, digits: requested ?? 17).map { .dateTime($0) }
            case .time(let t):
                return temporal(t, low: low, digits: requested ?? 9).map { .time($0) }
            default:
                return nil
            }
        }
    }

    /// The smallest or largest number the decimal may stand for, at `precision` decimal places
    /// (default 8): `1.587` is anything from `1.5865` up to `1.5875`.
    private static func decimal(_ number: ExactDecimal, low: Bool, precision: Int?) -> ExactDecimal? {
        let places = precision ?? 8
        guard places >= 0, places <= 28 else { return nil }
        let halfUnit = ExactDecimal(5).scaled(byPowerOfTen: -number.fractionDigits - 1)
        let bound = low ? number - halfUnit : number + halfUnit
        if places >= bound.fractionDigits { return padded(bound, to: places) }
        // Cutting digits off moves toward the outside of the range.
        let rule: DecimalRoundingRule
        if low {
            rule = bound.isNegative ? .awayFromZero : .towardZero
        } else {
            rule = bound.isNegative ? .towardZero : .awayFromZero
        }
        return padded(bound.rounded(toExponent: -places, rounding: rule), to: places)
    }

    /// The decimal written with exactly `places` fraction digits (`1.5` to 4 places is `1.5000`).
    private static func padded(_ value: ExactDecimal, to places: Int) -> ExactDecimal {
        var text = value.description
        let fraction = text.firstIndex(of: ".").map { text.distance(from: $0, to: text.endIndex) - 1 } ?? 0
        guard fraction < places else { return value }
        if fraction == 0 { text += "." }
        text += String(repeating: "0", count: places - fraction)
        return ExactDecimal(text) ?? value
    }

    private static func digits(of t: FHIRPathTemporal) -> Int {
        var count = t.hasDate ? 4 : 0
        let steps: [(FHIRPathTemporal.Precision, Int)] =
            t.hasDate
            ? [(.month, 2), (.day, 2), (.hour, 2), (.minute, 2), (.second, 2), (.millisecond, 3)]
            : [(.minute, 2), (.second, 2), (.millisecond, 3)]
        if !t.hasDate { count = 2 }
        for (precision, width) in steps where t.precision >= precision { count += width }
        return count
    }

    private static func temporal(_ t: FHIRPathTemporal, low: Bool, digits: Int) -> FHIRPathTemporal? {
        var result = t
        let target: FHIRPathTemporal.Precision
        if t.hasDate {
            switch digits {
            case 4: target = .year
            case 6: target = .month
            case 8: target = .day
            case 10: target = .hour
            case 12: target = .minute
            case 14: target = .second
            case 17: target = .millisecond
            default: return nil
            }
        } else {
            switch digits {
            case 2: target = .hour
            case 4: target = .minute
            case 6: target = .second
            case 9: target = .millisecond
            default: return nil
            }
        }
        if t.precision < .month { result.month = low ? 1 : 12 }
        if t.precision < .day { result.day = low ? 1 : FHIRPathTemporal.daysIn(month: result.month, year: result.year) }
        if t.precision < .hour { result.hour = low ? 0 : 23 }
        if t.precision < .minute { result.minute = low ? 0 : 59 }
        if t.precision < .second { result.second = low ? 0 : 59 }
        if t.precision < .millisecond { result.millisecond = low ? 0 : 999 }
        result.fractionDigits = ""
        result.dateTimeMarker = false
        if t.hasDate, target >= .hour, result.zoneOffset == nil { result.zoneOffset = low ? 14 * 60 : -12 * 60 }
        result.precision = target
        return result
    }
}
