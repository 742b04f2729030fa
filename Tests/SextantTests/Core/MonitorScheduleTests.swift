import Testing
@testable import SextantCore

@Suite struct CronExpressionTests {
    func next(_ expression: String, after iso: String) throws -> String? {
        let schedule = try MonitorSchedule(parsing: expression)
        return schedule.nextRun(after: ISOTimestamp.parse(iso)!).map(ISOTimestamp.format)
    }

    @Test(arguments: [
        ("0 3 * * *", "2026-06-14T03:00:00Z", "2026-06-15T03:00:00.000Z"),             // strictly after: next day
        ("0 3 * * *", "2026-06-14T02:59:59.999Z", "2026-06-14T03:00:00.000Z"),
        ("*/15 * * * *", "2026-06-14T10:07:30Z", "2026-06-14T10:15:00.000Z"),
        ("59 23 * * *", "2026-06-30T23:59:00Z", "2026-07-01T23:59:00.000Z"),            // month boundary
        ("0 0 1 * *", "2026-12-15T08:00:00Z", "2027-01-01T00:00:00.000Z"),              // year boundary
        ("30 23 31 * *", "2026-04-01T00:00:00Z", "2026-05-31T23:30:00.000Z"),           // April has no 31st
        ("0 0 29 2 *", "2026-03-01T00:00:00Z", "2028-02-29T00:00:00.000Z"),             // next leap day
        ("0 9 * * mon-fri", "2026-06-12T10:00:00Z", "2026-06-15T09:00:00.000Z"),        // Friday -> Monday
        ("0 0 13 * 5", "2026-06-12T00:00:00Z", "2026-06-13T00:00:00.000Z"),             // the 13th or a Friday
        ("0 12 * jan,jul 0", "2026-06-14T13:00:00Z", "2026-07-05T12:00:00.000Z"),       // Sunday in July
        ("0 0 * * 7", "2026-06-14T00:00:00Z", "2026-06-21T00:00:00.000Z"),              // 7 is Sunday too
        ("5-10/5 1 * * *", "2026-06-14T01:05:00Z", "2026-06-14T01:10:00.000Z"),
        ("@hourly", "2026-12-31T23:30:00Z", "2027-01-01T00:00:00.000Z"),
        ("5m", "2026-06-14T10:07:30Z", "2026-06-14T10:12:30.000Z"),
        ("2d", "2026-12-31T12:00:00Z", "2027-01-02T12:00:00.000Z"),
    ])
    func findsTheNextRunInUTC(expression: String, after: String, expected: String) throws {
        #expect(try next(expression, after: after) == expected)
    }

    @Test(arguments: ["61 * * * *", "* * *", "* * * * * *", "5x", "0m", "10-5 * * * *", "*/0 * * * *", "0 0 32 * *", "0 0 * foo *", ""])
    func refusesInvalidSchedules(_ expression: String) {
        #expect(throws: ScheduleError.self) { try MonitorSchedule(parsing: expression) }
    }
}

@Suite struct MonitorEvaluationTests {
    let created = ISOTimestamp.parse("2026-06-14T00:00:00Z")!
    let minute: Int64 = 60_000

    func status(_ schedule: String, grace: Int64 = 60, lastPing: Int64? = nil, last: HeartbeatStatus? = nil, at now: Int64) throws -> MonitorStatus {
        MonitorEvaluation.evaluate(schedule: try MonitorSchedule(parsing: schedule), graceSeconds: grace, createdAt: created,
                                   lastPingAt: lastPing, lastStatus: last, now: now).status
    }

    @Test func movesThroughPendingLateAndMissed() throws {
        #expect(try status("5m", at: created + 4 * minute) == .pending)
        #expect(try status("5m", at: created + 5 * minute + 30_000) == .late)
        #expect(try status("5m", at: created + 6 * minute + 1) == .missed)  // never pinged still goes missed
    }

    @Test func countsFromTheLastHeartbeat() throws {
        let ping = created + 7 * minute
        #expect(try status("5m", lastPing: ping, last: .success, at: ping + 4 * minute) == .healthy)
        #expect(try status("5m", lastPing: ping, last: .success, at: ping + 7 * minute) == .missed)
        #expect(try status("5m", lastPing: ping, last: .failed, at: ping + minute) == .failed)
    }

    @Test func cronMonitorsUseTheirGrace() throws {
        let lastRun = ISOTimestamp.parse("2026-06-14T03:00:10Z")!
        let nextDue = ISOTimestamp.parse("2026-06-15T03:00:00Z")!
        #expect(try status("0 3 * * *", grace: 600, lastPing: lastRun, last: .success, at: nextDue - 1) == .healthy)
        #expect(try status("0 3 * * *", grace: 600, lastPing: lastRun, last: .success, at: nextDue + 600_000) == .late)
        #expect(try status("0 3 * * *", grace: 600, lastPing: lastRun, last: .success, at: nextDue + 600_001) == .missed)
    }
}
