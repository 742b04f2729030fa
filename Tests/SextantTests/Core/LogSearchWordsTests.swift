import Foundation
import Testing
@testable import SextantCore

/// The byte-wise split of ASCII runs must give exactly the words of the whole-string rule
/// (fold case and diacritics, then split on everything but letters and digits).
@Suite struct LogSearchWordsTests {
    static func reference(_ text: String) -> [String] {
        LogFilter.words(of: text.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil))
    }

    @Test(arguments: [
        "request 12 handled by Worker 3 in 40 ms for order ORD-31",
        "TimeoutError\nupstream timed out\nat fetchOrder (orders.ts:42)",
        "Café crème brûlée", "ÉCOLE naïve_façade", "cafe\u{301} au lait", "-\u{301}x \u{301}", "snake_case and kebab-case",
        "Straße ǅemal ﬁsh", "Ελληνικά ΣΟΦΊΑ", "日本語のログ 123", "em—dash…ellipsis", "emoji 🚀launch🚀 now", "tabs\tand\r\nlines",
        "", "   ", "ÀÉÎ", "a", "x1y2z3", "\u{0}nul\u{0}", "١٢٣ arabic digits ٤", "mixed ASCII😀and  spaces",
    ])
    func matchesTheWholeStringRule(text: String) {
        let words = LogSearchWords.of(text)
        let expected = Self.reference(text)
        #expect(words == expected, "\(text)")
    }
}
