import ExactArithmetic

/// The `toX()` conversions, as FHIRPath's conversion table defines them.
enum FHIRPathConversion {
    /// The `toX` a `convertsToX` asks about.
    static func target(of function: FHIRPathFunction) -> FHIRPathFunction {
        switch function {
        case .convertsToBoolean: return .toBoolean
        case .convertsToInteger: return .toInteger
        case .convertsToLong: return .toLong
        case .convertsToDecimal: return .toDecimal
        case .convertsToString: return .toString
        case .convertsToDate: return .toDate
        case .convertsToDateTime: return .toDateTime
        case .convertsToTime: return .toTime
        default: return function
        }
    }

    static func convert(_ value: FHIRPathValue, _ function: FHIRPathFunction) -> FHIRPathValue? {
        switch function {
        case .toBoolean: return boolean(value)
        case .toInteger:
            switch value {
            case .integer: return value
            case .boolean(let flag): return .integer(flag ? 1 : 0)
            case .string(let text):
                return isInteger(text)
                    ? Int(text.hasPrefix("+") ? String(text.dropFirst()) : text).map { .integer($0) } : nil
            default: return nil
            }
        case .toLong:
            switch value {
            case .integer(let number), .long(let number): return .long(number)
            case .boolean(let flag): return .long(flag ? 1 : 0)
            case .string(let text):
                return isInteger(text)
                    ? Int(text.hasPrefix("+") ? String(text.dropFirst()) : text).map { .long($0) } : nil
            default: return nil
            }
        case .toDecimal:
            switch value {
            case .decimal: return value
            case .integer(let number), .long(let number): return .decimal(ExactDecimal(number))
            case .boolean(let flag): return ExactDecimal(flag ? "1.0" : "0.0").map { .decimal($0) }
            case .string(let text):
                return isDecimal(text) ? FHIRPathValue.exactDecimal(fhirPath: text).map { .decimal($0) } : nil
            default: return nil
            }
        case .toString:
            switch value {
            case .element, .typeInfo: return nil
            default: return .string(value.text)
            }
        case .toDate:
            switch value {
            case .date: return value
            case .dateTime(var temporal):
                temporal.precision = min(temporal.precision, .day)
                temporal.zoneOffset = nil
                temporal.dateTimeMarker = false
                return .date(temporal)
            case .string(let text):
                guard let temporal = FHIRPathTemporal(dateTime: text), temporal.precision <= .day,
                    !temporal.dateTimeMarker
                else { return nil }
                return .date(temporal)
            default: return nil
            }
        case .toDateTime:
            switch value {
            case .dateTime: return value
            case .date(let temporal): return .dateTime(temporal)
            case .string(let text): return FHIRPathTemporal(dateTime: text).map { .dateTime($0) }
            default: return nil
            }
        case .toTime:
            switch value {
            case .time: return value
            case .string(let text): return FHIRPathTemporal(time: text).map { .time($0) }
            default: return nil
            }
        default:
            return nil
        }
    }

    private static func boolean(_ value: FHIRPathValue) -> FHIRPathValue? {
        switch value {
        case .boolean: return value
        case .integer(let number), .long(let number):
            if number == 1 { return .boolean(true) }
            if number == 0 { return .boolean(false) }
            return nil
        case .decimal(let number):
            if number == ExactDecimal(1) { return .boolean(true) }
            if number.isZero { return .boolean(false) }
            return nil
        case .string(let text):
            switch text.lowercased() {
            case "true", "t", "yes", "y", "1", "1.0": return .boolean(true)
            case "false", "f", "no", "n", "0", "0.0": return .boolean(false)
            default: return nil
            }
        default:
            return nil
        }
    }

    private static func isInteger(_ text: String) -> Bool {
        var digits = Substring(text)
        if digits.first == "+" || digits.first == "-" { digits = digits.dropFirst() }
        return !digits.isEmpty && digits.allSatisfy { $0.isASCII && $0.isNumber }
    }

    private static func isDecimal(_ text: String) -> Bool {
        var body = Substring(text)
        if body.first == "+" || body.first == "-" { body = body.dropFirst() }
        let parts = body.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2 else { return false }
        return parts.allSatisfy { !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isNumber } }
    }

    /// `toQuantity()`: a quantity, a number (unit `1`), a boolean, or a string such as `5 'mg'`,
    /// `4 days` or `1.5`.
    static func quantity(_ value: FHIRPathValue) -> FHIRPathQuantity? {
        switch value {
        case .quantity(let q): return q
        case .integer(let number), .long(let number): return FHIRPathQuantity(value: ExactDecimal(number), unit: "1")
        case .decimal(let number): return FHIRPathQuantity(value: number, unit: "1")
        case .boolean(let flag): return FHIRPathQuantity(value: ExactDecimal(flag ? 1 : 0), unit: "1")
        case .string(let text):
            let trimmed = text.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
            guard let first = trimmed.first, isDecimal(String(first)),
                let number = FHIRPathValue.exactDecimal(fhirPath: String(first))
            else { return nil }
            guard trimmed.count == 2 else { return FHIRPathQuantity(value: number, unit: "1") }
            let unitText = trimmed[1].trimmingSpaces
            if unitText.count >= 2, unitText.hasPrefix("'"), unitText.hasSuffix("'") {
                return FHIRPathQuantity(value: number, unit: String(unitText.dropFirst().dropLast()))
            }
            if FHIRPathQuantity.calendarUnits.contains(String(unitText)) {
                return FHIRPathQuantity(value: number, unit: String(unitText))
            }
            return nil
        default:
            return nil
        }
    }
}

extension Substring {
    var trimmingSpaces: Substring {
        var text = self
        while text.first == " " { text = text.dropFirst() }
        while text.last == " " { text = text.dropLast() }
        return text
    }
}
