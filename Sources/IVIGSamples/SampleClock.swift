import FHIRCore

/// A local date and time counted in minutes since 1970-01-01T00:00 in one time zone, written as
/// FHIR dates and dateTimes without Foundation (civil-from-days, after Howard Hinnant).
struct SampleClock: Hashable, Sendable {
    /// Minutes since 1970-01-01T00:00 local time.
    var minutes: Int
    /// The zone as FHIR writes it: `Z`, `+01:00`, `-05:00`.
    var zone: String

    static let minutesPerDay = 24 * 60

    init(day: Int, minute: Int = 0, zone: String) {
        minutes = day * Self.minutesPerDay + minute
        self.zone = zone
    }

    var day: Int {
        minutes >= 0 ? minutes / Self.minutesPerDay : (minutes - Self.minutesPerDay + 1) / Self.minutesPerDay
    }

    func adding(minutes extra: Int) -> Self {
        var copy = self
        copy.minutes += extra
        return copy
    }

    func adding(days: Int) -> Self { adding(minutes: days * Self.minutesPerDay) }

    /// `YYYY-MM-DD`.
    var dateText: String {
        let (year, month, dayOfMonth) = Self.civil(fromDays: day)
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(dayOfMonth, 2))"
    }

    /// `YYYY-MM`.
    var monthText: String { String(dateText.prefix(7)) }

    /// `YYYY-MM-DDThh:mm:ss+zz:zz`.
    var dateTimeText: String {
        let minuteOfDay = minutes - day * Self.minutesPerDay
        return "\(dateText)T\(pad(minuteOfDay / 60, 2)):\(pad(minuteOfDay % 60, 2)):00\(zone)"
    }

    var dateTime: FHIRDateTime { checked { try FHIRDateTime(dateTimeText) } }
    var date: FHIRDate { checked { try FHIRDate(dateText) } }
    var instant: FHIRInstant { checked { try FHIRInstant(dateTimeText) } }

    /// The proleptic Gregorian (year, month, day) of a day count from 1970-01-01.
    static func civil(fromDays days: Int) -> (Int, Int, Int) {
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let dayOfMonth = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, dayOfMonth)
    }

    /// The day count of a civil date (the inverse of ``civil(fromDays:)``).
    static func days(year: Int, month: Int, day: Int) -> Int {
        let adjustedYear = month <= 2 ? year - 1 : year
        let era = (adjustedYear >= 0 ? adjustedYear : adjustedYear - 399) / 400
        let yearOfEra = adjustedYear - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}

func pad(_ value: Int, _ width: Int) -> String {
    let text = String(value)
    return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
}
