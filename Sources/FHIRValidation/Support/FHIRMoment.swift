import ExactArithmetic
import FHIRCore

/// A FHIR date, dateTime or instant placed on the calendar, for comparing and subtracting them.
///
/// Two readings are kept, because FHIR values come in two kinds: a time with a zone is an
/// instant (compared in UTC), while a date alone (`2026-03-02`) is a calendar day in the
/// patient's local time, which is what an order's `boundsPeriod` means. A dateTime with a time
/// also has its local calendar day (the date as written), so a course of `2026-03-02` to
/// `2026-03-06` contains an infusion at `2026-03-06T23:30:00+01:00`.
public struct FHIRMoment: Hashable, Sendable {
    /// The first and last local calendar day the value covers (days since 1970-01-01):
    /// one day for a full date, a month or year for a partial one.
    public let firstDay: Int
    public let lastDay: Int
    /// Seconds since 1970-01-01T00:00:00Z, when the value has a time and zone.
    public let instant: Int64?

    /// The moment a FHIR date, dateTime or instant text names; `nil` when it is not one.
    public init?(_ text: String) {
        guard let parts = FHIRDateTime.parse(text) ?? FHIRInstant.parse(text) else { return nil }
        self.init(parts)
    }

    /// The moment of an optional text, for optional chains.
    static func of(_ text: String?) -> FHIRMoment? { text.flatMap { FHIRMoment($0) } }

    init?(_ parts: FHIRTemporalParts) {
        guard let year = parts.year else { return nil }
        let firstMonth = parts.month ?? 1
        let lastMonth = parts.month ?? 12
        firstDay = Self.dayNumber(year: year, month: firstMonth, day: parts.day ?? 1)
        lastDay = Self.dayNumber(year: year, month: lastMonth, day: parts.day ?? Self.daysIn(year: year, month: lastMonth))
        if let hour = parts.hour, let minute = parts.minute, let zone = parts.timeZone,
           let offset = Self.offsetSeconds(zone)
        {
            let local = Int64(firstDay) * 86_400 + Int64(hour * 3600 + minute * 60 + (parts.second ?? 0))
            instant = local - Int64(offset)
        } else {
            instant = nil
        }
    }

    /// Whether this is certainly before `other` (an earlier instant, or an earlier calendar day
    /// when either has no time).
    func isBefore(_ other: FHIRMoment) -> Bool {
        if let a = instant, let b = other.instant { return a < b }
        return lastDay < other.firstDay
    }

    /// Whether this is certainly after `other`.
    func isAfter(_ other: FHIRMoment) -> Bool { other.isBefore(self) }

    /// The days from `earlier` to this: exact (in fractions of a day) when both have a time and
    /// zone, otherwise the difference of their first calendar days.
    func days(since earlier: FHIRMoment) -> ExactRational {
        if let a = instant, let b = earlier.instant {
            return ExactRational(Int(a - b)).dividing(by: ExactRational(86_400))
        }
        return ExactRational(firstDay - earlier.firstDay)
    }

    /// The calendar day as `YYYY-MM-DD`, for messages.
    static func dateText(_ day: Int) -> String {
        let (year, month, dayOfMonth) = civil(fromDayNumber: day)
        func pad(_ value: Int, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(dayOfMonth, 2))"
    }

    // Howard Hinnant's days-from-civil and civil-from-days (proleptic Gregorian calendar).
    static func dayNumber(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    static func civil(fromDayNumber number: Int) -> (year: Int, month: Int, day: Int) {
        let z = number + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    private static func daysIn(year: Int, month: Int) -> Int {
        dayNumber(year: month == 12 ? year + 1 : year, month: month == 12 ? 1 : month + 1, day: 1)
            - dayNumber(year: year, month: month, day: 1)
    }

    /// `Z` → 0, `+01:00` → 3600, `-05:30` → -19800.
    private static func offsetSeconds(_ zone: String) -> Int? {
        if zone == "Z" { return 0 }
        let bytes = Array(zone.utf8)
        guard bytes.count == 6, bytes[0] == UInt8(ascii: "+") || bytes[0] == UInt8(ascii: "-"),
              let hours = Int(String(decoding: bytes[1...2], as: UTF8.self)),
              let minutes = Int(String(decoding: bytes[4...5], as: UTF8.self))
        else { return nil }
        let seconds = hours * 3600 + minutes * 60
        return bytes[0] == UInt8(ascii: "-") ? -seconds : seconds
    }
}
