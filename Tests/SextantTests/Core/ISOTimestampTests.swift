import Testing
@testable import SextantCore

@Suite struct ISOTimestampTests {
    @Test(arguments: [
        ("2026-06-14T00:00:00Z", Int64(1_781_395_200_000)),
        ("2026-06-14T00:00:00.5Z", 1_781_395_200_500),
        ("2026-06-14T00:00:00.123Z", 1_781_395_200_123),
        ("2026-06-14T00:00:00.123456Z", 1_781_395_200_123),
        ("2026-06-14T00:00:00.123456789Z", 1_781_395_200_123),
        ("2026-06-14T02:30:00+02:30", 1_781_395_200_000),
        ("2026-06-13T23:00:00.000-01:00", 1_781_395_200_000),
        ("2000-02-29t12:00:00z", 951_825_600_000),
        ("1970-01-01T00:00:00Z", 0),
    ])
    func parsesEveryRFC3339Form(text: String, ms: Int64) {
        #expect(ISOTimestamp.parse(text) == ms)
    }

    @Test(arguments: [
        "yesterday", "", "2026-06-14", "2026-06-14T00:00:00", "2026-13-01T00:00:00Z", "2026-02-30T00:00:00Z",
        "2026-06-14T24:00:00Z", "2026-06-14T00:00:00.Z", "2026-06-14T00:00:00.1234567890Z", "2026-06-14T00:00:00+0200",
        "2026-06-14T00:00:00Zjunk", "２０２６-06-14T00:00:00Z",
    ])
    func refusesWhatIsNotOne(_ text: String) {
        #expect(ISOTimestamp.parse(text) == nil)
    }

    @Test func formatsWithExactlyThreeFractionalDigits() {
        #expect(ISOTimestamp.format(1_781_395_200_007) == "2026-06-14T00:00:00.007Z")
        #expect(ISOTimestamp.format(0) == "1970-01-01T00:00:00.000Z")
        #expect(ISOTimestamp.parse(ISOTimestamp.format(1_718_200_012_345)) == 1_718_200_012_345)
    }
}
