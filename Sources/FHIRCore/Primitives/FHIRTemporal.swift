/// The parts of a FHIR date, dateTime, instant or time, as written.
///
/// Parsed by hand against the R4 regular expressions: a year is four digits and not `0000`;
/// a time needs seconds; a dateTime with a time must have a time zone (`Z` or `±hh:mm`, at most
/// `+14:00`); the fraction of a second keeps its digits.
public struct FHIRTemporalParts: Hashable, Sendable {
    /// How much of a date or time was given.
    public enum Precision: Int, Comparable, Hashable, Sendable {
        case year, month, day, second
        public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    // Each part is stored compactly (a year in 16 bits, the rest in a byte; see `CompactPart`)
    // and shown as `Int?`: six `Int?` took 96 bytes, and every date in a model is copied a few
    // times while it is read and written (1.7% of converting XML to JSON, 2.2% of JSON to XML).
    // Set only by the parser, which reads four digits for a year and two for the rest.
    @CompactPart<Int16> public internal(set) var year: Int?
    @CompactPart<UInt8> public internal(set) var month: Int?
    @CompactPart<UInt8> public internal(set) var day: Int?
    @CompactPart<UInt8> public internal(set) var hour: Int?
    @CompactPart<UInt8> public internal(set) var minute: Int?
    @CompactPart<UInt8> public internal(set) var second: Int?
    /// The digits after the decimal point of the seconds, as written (`"500"` for `.500`).
    public var fraction: String?
    /// The time zone as written: `Z`, `+01:00`, `-05:00`; `nil` when none was given.
    public var timeZone: String?

    /// The precision given: year, month, day, or to the second (times are always to the second).
    public var precision: Precision {
        if hour != nil { return .second }
        if day != nil { return .day }
        if month != nil { return .month }
        return .year
    }

    /// Parses `[date][T time tz]` or a bare time, returning `nil` if the text is malformed.
    static func parse(_ text: String, allowDate: Bool, allowTime: Bool, bareTime: Bool) -> Self? {
        ByteCursor.with(text) { input in parse(&input, allowDate: allowDate, allowTime: allowTime, bareTime: bareTime) }
    }

    private static func parse(_ input: inout ByteCursor, allowDate: Bool, allowTime: Bool, bareTime: Bool) -> Self? {
        var parts = FHIRTemporalParts()
        if bareTime {
            guard parseClock(&input, into: &parts), input.isEmpty else { return nil }
            return parts
        }
        guard allowDate, let year = ByteGrammar.fixedDigits(&input, 4), year > 0 else { return nil }
        parts.year = year
        if ByteGrammar.consume(&input, "-") {
            guard let month = ByteGrammar.fixedDigits(&input, 2), (1...12).contains(month) else { return nil }
            parts.month = month
            if ByteGrammar.consume(&input, "-") {
                // A day the calendar has: not 2023-02-29, not 2024-04-31.
                guard let day = ByteGrammar.fixedDigits(&input, 2), (1...daysIn(month, of: year)).contains(day) else {
                    return nil
                }
                parts.day = day
                if allowTime, ByteGrammar.consume(&input, "T") {
                    guard parseClock(&input, into: &parts), parseZone(&input, into: &parts) else { return nil }
                }
            }
        }
        return input.isEmpty ? parts : nil
    }

    /// How many days `month` has in `year` (Gregorian: leap years every 4, not every 100, every 400).
    private static func daysIn(_ month: Int, of year: Int) -> Int {
        switch month {
        case 2: return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    private static func parseClock(_ input: inout ByteCursor, into parts: inout Self) -> Bool {
        guard let hour = ByteGrammar.fixedDigits(&input, 2), hour <= 23, ByteGrammar.consume(&input, ":"),
            let minute = ByteGrammar.fixedDigits(&input, 2), minute <= 59, ByteGrammar.consume(&input, ":"),
            let second = ByteGrammar.fixedDigits(&input, 2), second <= 60
        else { return false }
        (parts.hour, parts.minute, parts.second) = (hour, minute, second)
        if ByteGrammar.consume(&input, ".") {
            let before = input
            let count = ByteGrammar.consumeDigits(&input)
            guard count > 0 else { return false }
            parts.fraction = before.prefix(count)
        }
        return true
    }

    private static func parseZone(_ input: inout ByteCursor, into parts: inout Self) -> Bool {
        let before = input
        if ByteGrammar.consume(&input, "Z") {
            parts.timeZone = "Z"
            return true
        }
        guard ByteGrammar.consume(&input, "+") || ByteGrammar.consume(&input, "-"),
            let hours = ByteGrammar.fixedDigits(&input, 2), ByteGrammar.consume(&input, ":"),
            let minutes = ByteGrammar.fixedDigits(&input, 2), minutes <= 59,
            hours <= 13 || (hours == 14 && minutes == 0)
        else { return false }
        parts.timeZone = before.prefix(6)
        return true
    }
}

/// A part of a date or time (`FHIRTemporalParts.year`, `.month`…) in a narrow integer, its
/// largest value standing for nil (no part reaches it: years have four digits, the rest two).
@propertyWrapper
public struct CompactPart<Stored: FixedWidthInteger & Sendable>: Hashable, Sendable {
    private var stored: Stored = .max

    public init(wrappedValue: Int?) { self.wrappedValue = wrappedValue }

    public var wrappedValue: Int? {
        get { stored == .max ? nil : Int(stored) }
        set { stored = newValue.map { Stored($0) } ?? .max }
    }
}

/// A FHIR type whose value is text of a fixed format, kept exactly as written.
///
/// Not `ExpressibleByStringLiteral`, so that `try FHIRDate("…")` always takes the throwing path.
public protocol FHIRTemporalValue: FHIRPrimitiveValue, CustomStringConvertible {
    /// The FHIR type name (`date`, `dateTime`, `instant`, `time`).
    static var fhirType: String { get }
    /// What a valid value looks like, for error messages.
    static var expectedFormat: String { get }
    /// The text exactly as written.
    var text: String { get }
    /// The parts of the value.
    var parts: FHIRTemporalParts { get }
    /// Parses text; `nil` when it does not match the type's format.
    static func parse(_ text: String) -> FHIRTemporalParts?
    /// Creates the value from already-checked text and parts.
    init(checkedText text: String, parts: FHIRTemporalParts)
}

extension FHIRTemporalValue {
    /// Creates the value from its text.
    /// - Throws: ``FHIRPrimitiveFormatError`` when the text does not match the R4 format.
    public init(_ text: String) throws {
        guard let parts = Self.parse(text) else {
            throw FHIRPrimitiveFormatError(type: Self.fhirType, text: text, expected: Self.expectedFormat)
        }
        self.init(checkedText: text, parts: parts)
    }

    public var description: String { text }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        self = try FHIRPrimitiveFormatError.reported(at: container.codingPath) { try Self(text) }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(text)
    }
}

/// A FHIR `date`: `2024`, `2024-03` or `2024-03-05`, precision as written; no time zone.
public struct FHIRDate: FHIRTemporalValue {
    public static let fhirType = "date"
    public static let expectedFormat = "YYYY, YYYY-MM or YYYY-MM-DD"
    public let text: String
    public let parts: FHIRTemporalParts
    public static func parse(_ text: String) -> FHIRTemporalParts? {
        FHIRTemporalParts.parse(text, allowDate: true, allowTime: false, bareTime: false)
    }
    public init(checkedText text: String, parts: FHIRTemporalParts) { (self.text, self.parts) = (text, parts) }
}

/// A FHIR `dateTime`: a date of any precision, or a date with a time to the second and a zone.
public struct FHIRDateTime: FHIRTemporalValue {
    public static let fhirType = "dateTime"
    public static let expectedFormat = "YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DDThh:mm:ss[.fff](Z|+hh:mm)"
    public let text: String
    public let parts: FHIRTemporalParts
    public static func parse(_ text: String) -> FHIRTemporalParts? {
        FHIRTemporalParts.parse(text, allowDate: true, allowTime: true, bareTime: false)
    }
    public init(checkedText text: String, parts: FHIRTemporalParts) { (self.text, self.parts) = (text, parts) }
}

/// A FHIR `instant`: a full date and time to the second, with a time zone.
public struct FHIRInstant: FHIRTemporalValue {
    public static let fhirType = "instant"
    public static let expectedFormat = "YYYY-MM-DDThh:mm:ss[.fff](Z|+hh:mm)"
    public let text: String
    public let parts: FHIRTemporalParts
    public static func parse(_ text: String) -> FHIRTemporalParts? {
        guard let parts = FHIRTemporalParts.parse(text, allowDate: true, allowTime: true, bareTime: false),
            parts.hour != nil
        else { return nil }
        return parts
    }
    public init(checkedText text: String, parts: FHIRTemporalParts) { (self.text, self.parts) = (text, parts) }
}

/// A FHIR `time`: `hh:mm:ss[.fff]`, a time of day with no date and no zone.
public struct FHIRTime: FHIRTemporalValue {
    public static let fhirType = "time"
    public static let expectedFormat = "hh:mm:ss[.fff]"
    public let text: String
    public let parts: FHIRTemporalParts
    public static func parse(_ text: String) -> FHIRTemporalParts? {
        FHIRTemporalParts.parse(text, allowDate: false, allowTime: false, bareTime: true)
    }
    public init(checkedText text: String, parts: FHIRTemporalParts) { (self.text, self.parts) = (text, parts) }
}
