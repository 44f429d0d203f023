#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A FHIRPath Date, DateTime or Time with the precision it was written to and its zone offset,
/// if any: `2014-01` is a month, not the first of January, and comparing it with a day-precise
/// date can give no answer (empty), as the specification says.
public struct FHIRPathTemporal: Sendable, Hashable, CustomStringConvertible {
    /// The finest component present. Seconds and their fraction count as one precision for
    /// comparison, as FHIRPath specifies.
    public enum Precision: Int, Sendable, Comparable {
        case year, month, day, hour, minute, second, millisecond
        public static func < (a: Precision, b: Precision) -> Bool { a.rawValue < b.rawValue }
    }

    /// False for a Time (`@T10:00`).
    public var hasDate: Bool
    public var year = 0, month = 1, day = 1, hour = 0, minute = 0, second = 0, millisecond = 0
    /// The digits of the fraction of a second as written (`"5"` for `.5`), kept for output.
    public var fractionDigits = ""
    public var precision: Precision
    /// Minutes east of UTC; nil when no zone was written.
    public var zoneOffset: Int?
    /// True when the text had a `T` but no time after it (`@2015T`), a DateTime literal of date precision.
    var dateTimeMarker = false

    var hasTime: Bool { precision >= .hour || !hasDate }

    init(hasDate: Bool, precision: Precision) {
        self.hasDate = hasDate
        self.precision = precision
    }

    // MARK: Parsing

    /// Parses the text of a literal after `@`: a date, a dateTime or a time (`T…`).
    static func literal(_ text: String) -> FHIRPathValue? {
        if text.hasPrefix("T") {
            return FHIRPathTemporal(time: String(text.dropFirst())).map { .time($0) }
        }
        guard let value = FHIRPathTemporal(dateTime: text) else { return nil }
        if value.precision <= .day, !value.dateTimeMarker, value.zoneOffset == nil { return .date(value) }
        return .dateTime(value)
    }

    /// Parses a date or dateTime as FHIR and FHIRPath write them (`2015`, `2015-02-07T13:28:17.239+02:00`).
    public init?(dateTime text: String) {
        var reader = Reader(Array(text.utf8))
        guard let year = reader.digits(4) else { return nil }
        self.init(hasDate: true, precision: .year)
        self.year = year
        if reader.take("-") {
            guard let month = reader.digits(2), (1...12).contains(month) else { return nil }
            self.month = month
            precision = .month
            if reader.take("-") {
                guard let day = reader.digits(2), day >= 1, day <= Self.daysIn(month: month, year: year) else {
                    return nil
                }
                self.day = day
                precision = .day
            }
        }
        if reader.take("T") {
            dateTimeMarker = true
            if !reader.atEnd, reader.peekDigit {
                guard precision == .day, readTime(&reader) else { return nil }
            }
        }
        guard readZone(&reader), reader.atEnd else { return nil }
    }

    /// Parses a time (`14:34:28.123`), without the `T`.
    public init?(time text: String) {
        var reader = Reader(Array(text.utf8))
        self.init(hasDate: false, precision: .hour)
        guard readTime(&reader), reader.atEnd else { return nil }
    }

    private mutating func readTime(_ reader: inout Reader) -> Bool {
        guard let hour = reader.digits(2), hour < 24 else { return false }
        self.hour = hour
        precision = .hour
        guard reader.take(":") else { return true }
        guard let minute = reader.digits(2), minute < 60 else { return false }
        self.minute = minute
        precision = .minute
        guard reader.take(":") else { return true }
        guard let second = reader.digits(2), second < 60 else { return false }
        self.second = second
        precision = .second
        guard reader.take(".") else { return true }
        var digits = ""
        while reader.peekDigit, let d = reader.digits(1) { digits += String(d) }
        guard !digits.isEmpty else { return false }
        fractionDigits = digits
        let padded = String((digits + "000").prefix(3))
        millisecond = Int(padded) ?? 0
        precision = .millisecond
        return true
    }

    private mutating func readZone(_ reader: inout Reader) -> Bool {
        if reader.take("Z") {
            zoneOffset = 0
            return true
        }
        var sign = 0
        if reader.take("+") { sign = 1 } else if reader.take("-") { sign = -1 }
        guard sign != 0 else { return true }
        guard precision >= .hour || dateTimeMarker, let hours = reader.digits(2), reader.take(":"),
            let minutes = reader.digits(2), hours <= 14, minutes < 60
        else { return false }
        zoneOffset = sign * (hours * 60 + minutes)
        return true
    }

    struct Reader {
        let bytes: [UInt8]
        var index = 0
        init(_ bytes: [UInt8]) { self.bytes = bytes }
        var atEnd: Bool { index == bytes.count }
        var peekDigit: Bool { index < bytes.count && bytes[index] >= 48 && bytes[index] <= 57 }
        mutating func take(_ c: Character) -> Bool {
            guard index < bytes.count, bytes[index] == c.asciiValue else { return false }
            index += 1
            return true
        }
        mutating func digits(_ count: Int) -> Int? {
            guard index + count <= bytes.count else { return nil }
            var value = 0
            for offset in 0..<count {
                let byte = bytes[index + offset]
                guard byte >= 48, byte <= 57 else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            index += count
            return value
        }
    }

    static func isLeap(_ year: Int) -> Bool { (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    // MARK: Text

    private static func pad(_ value: Int, _ width: Int) -> String {
        let text = String(abs(value))
        return (value < 0 ? "-" : "") + String(repeating: "0", count: max(0, width - text.count)) + text
    }

    public var description: String {
        var text = ""
        if hasDate {
            text = Self.pad(year, 4)
            if precision >= .month { text += "-" + Self.pad(month, 2) }
            if precision >= .day { text += "-" + Self.pad(day, 2) }
            if precision >= .hour { text += "T" } else if dateTimeMarker { text += "T" }
        }
        if precision >= .hour {
            text += Self.pad(hour, 2)
            if precision >= .minute { text += ":" + Self.pad(minute, 2) }
            if precision >= .second { text += ":" + Self.pad(second, 2) }
            if precision >= .millisecond {
                text += "." + (fractionDigits.isEmpty ? Self.pad(millisecond, 3) : fractionDigits)
            }
        }
        if hasDate, let zoneOffset {
            if zoneOffset == 0 {
                text += "Z"
            } else {
                text +=
                    (zoneOffset < 0 ? "-" : "+") + Self.pad(abs(zoneOffset) / 60, 2) + ":"
                    + Self.pad(abs(zoneOffset) % 60, 2)
            }
        }
        return text
    }

    // MARK: Comparison

    /// Days since 1970-01-01 of a proleptic Gregorian date.
    static func daysFromCivil(_ y: Int, _ m: Int, _ d: Int) -> Int {
        let y = m <= 2 ? y - 1 : y
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (m + 9) % 12
        let doy = (153 * mp + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civilFromDays(_ z: Int) -> (Int, Int, Int) {
        let z = z + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? y + 1 : y, m, d)
    }

    /// The value moved to UTC (when it has a zone and a time), so zones compare correctly.
    func normalizedToUTC() -> FHIRPathTemporal {
        guard hasDate, let zoneOffset, zoneOffset != 0, precision >= .hour else { return self }
        var copy = self
        let minutes = Self.daysFromCivil(year, month, day) * 1440 + hour * 60 + minute - zoneOffset
        let days = minutes >= 0 ? minutes / 1440 : (minutes - 1439) / 1440
        let (y, m, d) = Self.civilFromDays(days)
        copy.year = y
        copy.month = m
        copy.day = d
        let rest = minutes - days * 1440
        copy.hour = rest / 60
        copy.minute = rest % 60
        copy.zoneOffset = 0
        return copy
    }

    /// Compares two values of the same kind: nil when their precisions leave the answer open
    /// (`@2012 < @2012-01` has none), else the ordering.
    static func compare(_ a: FHIRPathTemporal, _ b: FHIRPathTemporal) -> Int?? {
        var a = a
        var b = b
        // One with a zone and one without, both with a time: the offset between them is unknown.
        if (a.zoneOffset == nil) != (b.zoneOffset == nil), a.hasDate, b.hasDate, a.precision >= .hour,
            b.precision >= .hour
        {
            return .some(nil)
        }
        if a.zoneOffset != nil || b.zoneOffset != nil {
            a = a.normalizedToUTC()
            b = b.normalizedToUTC()
        }
        let aParts = a.components
        let bParts = b.components
        let shared = min(aParts.count, bParts.count)
        for index in 0..<shared where aParts[index] != bParts[index] {
            return .some(aParts[index] < bParts[index] ? -1 : 1)
        }
        if aParts.count != bParts.count { return .some(nil) }
        return .some(0)
    }

    /// The components present, coarsest first; seconds and milliseconds as one.
    var components: [Int] {
        var parts: [Int] = []
        if hasDate {
            parts.append(year)
            if precision >= .month { parts.append(month) }
            if precision >= .day { parts.append(day) }
        }
        if precision >= .hour { parts.append(hour) }
        if precision >= .minute { parts.append(minute) }
        if precision >= .second { parts.append(second * 1000 + millisecond) }
        return parts
    }

    // MARK: Arithmetic

    /// The value moved by `amount` of a calendar unit (`year`, `month`, `week`, `day`, `hour`,
    /// `minute`, `second`, `millisecond`); nil when the result is out of range.
    func adding(_ amount: Int, unit: String) -> FHIRPathTemporal? {
        var copy = self
        switch unit {
        case "year":
            copy.year += amount
            copy.day = min(copy.day, Self.daysIn(month: copy.month, year: copy.year))
        case "month":
            let total = copy.year * 12 + (copy.month - 1) + amount
            copy.year = total >= 0 ? total / 12 : (total - 11) / 12
            copy.month = total - copy.year * 12 + 1
            copy.day = min(copy.day, Self.daysIn(month: copy.month, year: copy.year))
        case "week", "day":
            let days = unit == "week" ? amount * 7 : amount
            guard hasDate else { return copy }
            let (y, m, d) = Self.civilFromDays(Self.daysFromCivil(year, month, day) + days)
            copy.year = y
            copy.month = m
            copy.day = d
        case "hour", "minute", "second", "millisecond":
            let factor = ["hour": 3_600_000, "minute": 60_000, "second": 1000, "millisecond": 1][unit]!
            let (product, overflow) = amount.multipliedReportingOverflow(by: factor)
            guard !overflow else { return nil }
            var ms = hour * 3_600_000 + minute * 60_000 + second * 1000 + millisecond + product
            let dayMs = 86_400_000
            var dayShift = ms >= 0 ? ms / dayMs : (ms - dayMs + 1) / dayMs
            ms -= dayShift * dayMs
            copy.hour = ms / 3_600_000
            copy.minute = ms / 60_000 % 60
            copy.second = ms / 1000 % 60
            copy.millisecond = ms % 1000
            copy.fractionDigits = ""
            if !hasDate { dayShift = 0 }
            if dayShift != 0 {
                let (y, m, d) = Self.civilFromDays(Self.daysFromCivil(year, month, day) + dayShift)
                copy.year = y
                copy.month = m
                copy.day = d
            }
        default:
            return nil
        }
        guard copy.year >= 1, copy.year <= 9999 || !hasDate else { return nil }
        return copy
    }

    // MARK: Clock

    /// The current instant in the local zone, to the millisecond.
    static func now() -> FHIRPathTemporal {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        var seconds = spec.tv_sec
        var parts = tm()
        localtime_r(&seconds, &parts)
        var value = FHIRPathTemporal(hasDate: true, precision: .millisecond)
        value.year = Int(parts.tm_year) + 1900
        value.month = Int(parts.tm_mon) + 1
        value.day = Int(parts.tm_mday)
        value.hour = Int(parts.tm_hour)
        value.minute = Int(parts.tm_min)
        value.second = Int(parts.tm_sec)
        value.millisecond = Int(spec.tv_nsec / 1_000_000)
        value.zoneOffset = Int(parts.tm_gmtoff) / 60
        return value
    }
}
