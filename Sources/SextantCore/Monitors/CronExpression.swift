/// A 5-field cron expression evaluated in UTC: minute, hour, day of month, month, day of week.
/// Fields take `*`, numbers, ranges `a-b`, steps `*/n` and `a-b/n`, lists, and month and day names;
/// day of week 0 and 7 are Sunday. As in Vixie cron, when both day fields are restricted a day
/// matching either runs.
public struct CronExpression: Sendable, Equatable {
    let minutes: Set<Int>
    let hours: Set<Int>
    let daysOfMonth: Set<Int>
    let months: Set<Int>
    let daysOfWeek: Set<Int>
    let daysOfMonthRestricted: Bool
    let daysOfWeekRestricted: Bool

    static let macros = ["@yearly": "0 0 1 1 *", "@annually": "0 0 1 1 *", "@monthly": "0 0 1 * *", "@weekly": "0 0 * * 0",
                         "@daily": "0 0 * * *", "@midnight": "0 0 * * *", "@hourly": "0 * * * *"]
    static let monthNames = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    static let dayNames = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]

    public init(parsing text: String) throws(ScheduleError) {
        let expanded = Self.macros[text.lowercased()] ?? text
        let fields = expanded.split(whereSeparator: \.isWhitespace).map { String($0).lowercased() }
        guard fields.count == 5 else { throw .invalid("a cron expression has 5 fields: minute hour day-of-month month day-of-week") }
        minutes = try Self.parseField(fields[0], 0...59, names: [], name: "minute")
        hours = try Self.parseField(fields[1], 0...23, names: [], name: "hour")
        daysOfMonth = try Self.parseField(fields[2], 1...31, names: [], name: "day of month")
        months = try Self.parseField(fields[3], 1...12, names: Self.monthNames, name: "month", nameOffset: 1)
        let weekdays = try Self.parseField(fields[4], 0...7, names: Self.dayNames, name: "day of week")
        daysOfWeek = Set(weekdays.map { $0 == 7 ? 0 : $0 })
        daysOfMonthRestricted = fields[2] != "*" && fields[2] != "?"
        daysOfWeekRestricted = fields[4] != "*" && fields[4] != "?"
    }

    static func parseField(_ field: String, _ bounds: ClosedRange<Int>, names: [String], name: String, nameOffset: Int = 0) throws(ScheduleError) -> Set<Int> {
        func value(_ token: Substring) throws(ScheduleError) -> Int {
            if let number = Int(token), bounds.contains(number) { return number }
            if let index = names.firstIndex(of: String(token)) { return index + nameOffset }
            throw .invalid("\(name): \"\(token)\" is not in \(bounds.lowerBound)-\(bounds.upperBound)")
        }
        var result = Set<Int>()
        for part in field.split(separator: ",", omittingEmptySubsequences: false) {
            let pieces = part.split(separator: "/", omittingEmptySubsequences: false)
            guard pieces.count <= 2, !pieces[0].isEmpty else { throw .invalid("\(name): \"\(part)\" is not a valid field") }
            var step = 1
            if pieces.count == 2 {
                guard let parsed = Int(pieces[1]), parsed > 0 else { throw .invalid("\(name): step \"\(pieces[1])\" must be a positive number") }
                step = parsed
            }
            let range: ClosedRange<Int>
            if pieces[0] == "*" || pieces[0] == "?" {
                range = bounds
            } else if let dash = pieces[0].firstIndex(of: "-") {
                let low = try value(pieces[0][..<dash])
                let high = try value(pieces[0][pieces[0].index(after: dash)...])
                guard low <= high else { throw .invalid("\(name): range \"\(pieces[0])\" runs backwards") }
                range = low...high
            } else {
                let single = try value(pieces[0])
                range = single...(pieces.count == 2 ? bounds.upperBound : single)
            }
            result.formUnion(stride(from: range.lowerBound, through: range.upperBound, by: step))
        }
        return result
    }

    func matchesDay(year: Int64, month: Int64, day: Int64, dayNumber: Int64) -> Bool {
        let weekday = Int(((dayNumber % 7) + 11) % 7)  // 1970-01-01 was a Thursday (4)
        let domMatch = daysOfMonth.contains(Int(day))
        let dowMatch = daysOfWeek.contains(weekday)
        switch (daysOfMonthRestricted, daysOfWeekRestricted) {
        case (true, true): return domMatch || dowMatch
        case (true, false): return domMatch
        case (false, true): return dowMatch
        case (false, false): return true
        }
    }

    /// The first matching minute strictly after `ms`, or nil if none comes within ten years.
    public func nextRun(after ms: Int64) -> Int64? {
        let minute: Int64 = 60_000
        var candidate = UTCDay.floorDiv(ms, minute) * minute + minute
        let limit = candidate + 10 * 366 * UTCDay.millisecondsPerDay
        while candidate < limit {
            let dayNumber = UTCDay.floorDiv(candidate, UTCDay.millisecondsPerDay)
            let dayStart = dayNumber * UTCDay.millisecondsPerDay
            let (year, month, day) = UTCDay.civil(fromDays: dayNumber)
            guard months.contains(Int(month)) else {
                let (nextYear, nextMonth) = month == 12 ? (year + 1, Int64(1)) : (year, month + 1)
                candidate = ISOTimestamp.daysFromCivil(year: nextYear, month: nextMonth, day: 1) * UTCDay.millisecondsPerDay
                continue
            }
            guard matchesDay(year: year, month: month, day: day, dayNumber: dayNumber) else {
                candidate = dayStart + UTCDay.millisecondsPerDay
                continue
            }
            let withinDay = candidate - dayStart
            let hour = withinDay / 3_600_000
            guard hours.contains(Int(hour)) else {
                candidate = dayStart + (hour + 1) * 3_600_000
                continue
            }
            guard minutes.contains(Int(withinDay / minute % 60)) else {
                candidate += minute
                continue
            }
            return candidate
        }
        return nil
    }
}

public struct ScheduleError: Error, Equatable, CustomStringConvertible {
    public var description: String

    static func invalid(_ description: String) -> ScheduleError { ScheduleError(description: description) }
}

/// When a monitored job is expected: a cron expression in UTC or a fixed interval (`<N>m|h|d`).
public enum MonitorSchedule: Sendable, Equatable {
    case cron(CronExpression)
    case interval(milliseconds: Int64)

    public init(parsing text: String) throws(ScheduleError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let unit = trimmed.last, "mhd".contains(unit), let count = Int64(trimmed.dropLast()), !trimmed.contains(" ") {
            guard count > 0 else { throw .invalid("an interval must be positive") }
            let unitMs: Int64 = unit == "m" ? 60_000 : unit == "h" ? 3_600_000 : 86_400_000
            self = .interval(milliseconds: count * unitMs)
        } else {
            self = .cron(try CronExpression(parsing: trimmed))
        }
    }

    /// The next expected run strictly after `ms`.
    public func nextRun(after ms: Int64) -> Int64? {
        switch self {
        case .cron(let expression): expression.nextRun(after: ms)
        case .interval(let interval): ms + interval
        }
    }
}
