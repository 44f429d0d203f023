public import ExactArithmetic
public import FHIRElementModel

/// One item of a FHIRPath collection: a System value (`Boolean`, `Integer`, `Decimal`, `String`,
/// `Date`, `DateTime`, `Time`, `Quantity`) or an element of a FHIR tree.
///
/// An element keeps its FHIR type (`FHIR.string`, `FHIR.Quantity`); where an operator or
/// function needs a System value, a primitive element converts implicitly (``systemValue``).
///
/// The larger payloads are boxed (`indirect`) so that a value is small: collections of elements,
/// strings and booleans, which evaluation copies at every step, stay cheap to copy.
public enum FHIRPathValue: Sendable {
    case boolean(Bool)
    case integer(Int)
    case long(Int)
    indirect case decimal(ExactDecimal)
    case string(String)
    indirect case date(FHIRPathTemporal)
    indirect case dateTime(FHIRPathTemporal)
    indirect case time(FHIRPathTemporal)
    indirect case quantity(FHIRPathQuantity)
    case element(FHIRElement)
    /// What `type()` returns: a type's namespace and name.
    indirect case typeInfo(namespace: String, name: String)

    static func decimal(parsing text: String) -> FHIRPathValue? {
        guard let value = exactDecimal(fhirPath: text) else { return nil }
        return .decimal(value)
    }

    /// A number written in FHIRPath (`(\+|-)?\d+(\.\d+)?`, leading zeros allowed), read by FHIR's
    /// decimal grammar once a `+` and the leading zeros are dropped.
    static func exactDecimal(fhirPath text: String) -> ExactDecimal? {
        var body = Substring(text)
        var sign = ""
        if body.first == "+" || body.first == "-" {
            if body.first == "-" { sign = "-" }
            body = body.dropFirst()
        }
        while body.first == "0", let next = body.dropFirst().first, next.isASCII, next.isNumber {
            body = body.dropFirst()
        }
        return ExactDecimal(sign + body)
    }

    /// The literal negated, for `-5` and `-1.5 'mg'` written in an expression.
    var negatedLiteral: FHIRPathValue? {
        switch self {
        case .integer(let value): return .integer(-value)
        case .long(let value): return .long(-value)
        case .decimal(let value): return .decimal(-value)
        case .quantity(let q): return .quantity(FHIRPathQuantity(value: -q.value, unit: q.unit))
        default: return nil
        }
    }

    /// The number as a decimal, for an integer or decimal.
    var decimalValue: ExactDecimal? {
        switch self {
        case .integer(let value), .long(let value): return ExactDecimal(value)
        case .decimal(let value): return value
        default: return nil
        }
    }

    /// The System value of this item: itself for a System value; for an element, its primitive
    /// value converted (`FHIR.decimal` to `System.Decimal`), or a `Quantity` element as a
    /// System Quantity; nil for a complex element or a primitive without a value.
    public var systemValue: FHIRPathValue? {
        guard case .element(let element) = self else { return self }
        return FHIRPathValue.systemValue(of: element)
    }

    static func systemValue(of element: FHIRElement) -> FHIRPathValue? {
        if element.kind != .primitive {
            if FHIRPathTypes.quantityTypes.contains(element.typeName) { return quantity(of: element) }
            return nil
        }
        guard let text = element.value else { return nil }
        switch PrimitiveReading(typeName: element.typeName) {
        case .boolean:
            if text == "true" { return .boolean(true) }
            if text == "false" { return .boolean(false) }
            return nil
        case .integer:
            return Int(text).map { .integer($0) }
        case .long:
            return Int(text).map { .long($0) }
        case .decimal:
            return ExactDecimal(text).map { .decimal($0) }
        case .date:
            return FHIRPathTemporal(dateTime: text).map { .date($0) }
        case .dateTime:
            return FHIRPathTemporal(dateTime: text).map { .dateTime($0) }
        case .time:
            return FHIRPathTemporal(time: text).map { .time($0) }
        case .string:
            return .string(text)
        }
    }

    /// Which System type a FHIR primitive's text is read as.
    ///
    /// Most primitives are read as strings (`string`, `uri`, `code`, `id`, …), and references
    /// and URIs are what unions and `in` compare in bulk; the type name's length and first byte
    /// pick the one candidate to compare it with, rather than a chain of string comparisons.
    private enum PrimitiveReading {
        case boolean, integer, long, decimal, date, dateTime, time, string

        init(typeName: String) {
            let candidate: (name: String, reading: PrimitiveReading)
            switch (typeName.utf8.count, typeName.utf8.first) {
            case (7, UInt8(ascii: "b")): candidate = ("boolean", .boolean)
            case (7, UInt8(ascii: "i")):
                candidate = typeName == "instant" ? ("instant", .dateTime) : ("integer", .integer)
            case (11, UInt8(ascii: "p")): candidate = ("positiveInt", .integer)
            case (11, UInt8(ascii: "u")): candidate = ("unsignedInt", .integer)
            case (9, UInt8(ascii: "i")): candidate = ("integer64", .long)
            case (7, UInt8(ascii: "d")): candidate = ("decimal", .decimal)
            case (4, UInt8(ascii: "d")): candidate = ("date", .date)
            case (8, UInt8(ascii: "d")): candidate = ("dateTime", .dateTime)
            case (4, UInt8(ascii: "t")): candidate = ("time", .time)
            default:
                self = .string
                return
            }
            self = typeName == candidate.name ? candidate.reading : .string
        }
    }

    private static func quantity(of element: FHIRElement) -> FHIRPathValue? {
        guard let valueText = element.child(named: "value")?.value, let value = ExactDecimal(valueText) else {
            return nil
        }
        let system = element.child(named: "system")?.value
        let code = element.child(named: "code")?.value
        let unit: String
        if let code, system == nil || system == "http://unitsofmeasure.org" {
            unit = code
        } else if let text = element.child(named: "unit")?.value, system == nil, code == nil {
            unit = text
        } else {
            unit = code ?? "1"
        }
        return .quantity(FHIRPathQuantity(value: value, unit: unit))
    }

    /// The item's type: `System.Integer`, `FHIR.Patient`.
    public var typeSpecifier: (namespace: String, name: String) {
        switch self {
        case .boolean: return ("System", "Boolean")
        case .integer: return ("System", "Integer")
        case .long: return ("System", "Long")
        case .decimal: return ("System", "Decimal")
        case .string: return ("System", "String")
        case .date: return ("System", "Date")
        case .dateTime: return ("System", "DateTime")
        case .time: return ("System", "Time")
        case .quantity: return ("System", "Quantity")
        case .element(let element): return ("FHIR", element.typeName)
        case .typeInfo: return ("System", "TypeInfo")
        }
    }

    /// The item as text, as `toString()` and the CLI show it.
    public var text: String {
        switch self {
        case .boolean(let value): return value ? "true" : "false"
        case .integer(let value), .long(let value): return String(value)
        case .decimal(let value): return value.description
        case .string(let value): return value
        case .date(let value), .dateTime(let value), .time(let value): return value.description
        case .quantity(let value): return value.description
        case .element(let element):
            if let system = systemValue { return system.text }
            return element.value ?? element.typeName
        case .typeInfo(let namespace, let name): return "\(namespace).\(name)"
        }
    }
}

/// A System Quantity: an exact value and a unit, either a UCUM code or a calendar duration
/// keyword (`year`, `days`).
public struct FHIRPathQuantity: Sendable, Hashable, CustomStringConvertible {
    public var value: ExactDecimal
    public var unit: String

    public init(value: ExactDecimal, unit: String) {
        self.value = value
        self.unit = unit
    }

    /// The calendar duration keywords a quantity literal may use without quotes.
    static let calendarUnits: Set<String> = [
        "year", "years", "month", "months", "week", "weeks", "day", "days", "hour", "hours", "minute", "minutes",
        "second", "seconds", "millisecond", "milliseconds",
    ]

    /// The calendar keyword in its singular form (`days` → `day`), or nil for a UCUM unit.
    var calendarUnit: String? {
        guard Self.calendarUnits.contains(unit) else { return nil }
        return unit.hasSuffix("s") ? String(unit.dropLast()) : unit
    }

    /// The UCUM code a calendar keyword stands for where FHIRPath equates them (weeks and below
    /// are definite durations; `year` and `month` equal `a` and `mo` only for equivalence).
    var ucumUnit: String {
        switch calendarUnit {
        case "year": return "a"
        case "month": return "mo"
        case "week": return "wk"
        case "day": return "d"
        case "hour": return "h"
        case "minute": return "min"
        case "second": return "s"
        case "millisecond": return "ms"
        default: return unit
        }
    }

    public var description: String {
        if calendarUnit != nil { return "\(value) \(unit)" }
        return "\(value) '\(unit)'"
    }
}

extension [FHIRPathValue] {
    /// The one-item collection holding `value`, shared: conditions give a boolean at nearly
    /// every step, and a shared collection costs no allocation.
    static func boolean(_ value: Bool) -> [FHIRPathValue] { value ? trueCollection : falseCollection }

    private static let trueCollection: [FHIRPathValue] = [FHIRPathValue.boolean(true)]
    private static let falseCollection: [FHIRPathValue] = [FHIRPathValue.boolean(false)]

    /// The one-item collection holding the integer `value`, shared for the small counts that
    /// `count()` gives at nearly every element.
    static func integer(_ value: Int) -> [FHIRPathValue] {
        value >= 0 && value < smallIntegers.count ? smallIntegers[value] : [FHIRPathValue.integer(value)]
    }

    private static let smallIntegers: [[FHIRPathValue]] = (0..<32).map { [FHIRPathValue.integer($0)] }
}
