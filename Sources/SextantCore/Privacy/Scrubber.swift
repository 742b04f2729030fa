/// SeeStack's privacy rules (API.md §8, §10), applied before anything reaches disk: values under
/// sensitive keys, password inputs' values and Luhn-valid card numbers become `***REDACTED***`.
public enum Scrubber {
    public static let redacted = "***REDACTED***"

    /// Keys whose values are secrets wherever they appear.
    static let sensitiveKeyParts = ["password", "secret", "token", "ssn", "cvv", "cvc", "pin"].map { Array($0.utf8) }

    /// Replays are scrubbed on every upload, so these checks work on UTF-8 bytes, never on
    /// Foundation's string search (which dominated the replay path in a profile).
    public static func isSensitiveKey(_ key: String) -> Bool {
        containsSensitivePart(key.utf8)
    }

    static func containsSensitivePart(_ text: String.UTF8View) -> Bool {
        var bytes = Array(text)
        for index in bytes.indices where bytes[index] >= 0x41 && bytes[index] <= 0x5A { bytes[index] += 0x20 }
        return sensitiveKeyParts.contains { part in
            guard bytes.count >= part.count else { return false }
            return (0...(bytes.count - part.count)).contains { start in
                bytes[start] == part[0] && bytes[start..<(start + part.count)].elementsEqual(part)
            }
        }
    }

    /// Scrubs a JSON value: sensitive keys, `{type: "password", value}` objects, card numbers in strings.
    public static func scrub(_ value: JSONValue) -> JSONValue {
        switch value {
        case .string(let text):
            return .string(scrubText(text))
        case .array(let elements):
            return .array(elements.map(scrub))
        case .object(var members):
            let isPasswordInput = members["type"]?.stringValue?.lowercased() == "password"
                || members["attributes"]?["type"]?.stringValue?.lowercased() == "password"
            for (key, member) in members {
                if isSensitiveKey(key), !member.isNull, member.arrayValue == nil, member.objectValue == nil {
                    members[key] = .string(redacted)
                } else if isPasswordInput, key == "value" || key == "text" {
                    members[key] = .string(redacted)
                } else {
                    members[key] = scrub(member)
                }
            }
            return .object(members)
        default:
            return value
        }
    }

    /// Scrubs free text: card numbers (keeping their last four digits) and `key=value` / `key: value`
    /// pairs whose key is sensitive.
    public static func scrubText(_ text: String) -> String {
        var digits = 0
        var hasSeparator = false
        for byte in text.utf8 {
            if byte >= 0x30 && byte <= 0x39 { digits += 1 } else if byte == UInt8(ascii: "=") || byte == UInt8(ascii: ":") { hasSeparator = true }
        }
        var result = digits >= 13 ? scrubCardNumbers(text) : text
        if hasSeparator || result.utf8.contains(UInt8(ascii: " ")) { result = scrubSecretsAssignments(result) }
        return result
    }

    /// Replaces each Luhn-valid run of 13–19 digits (spaces and dashes allowed between them).
    public static func scrubCardNumbers(_ text: String) -> String {
        let characters = Array(text)
        guard characters.contains(where: \.isASCIIDigit) else { return text }
        var output = ""
        var index = 0
        while index < characters.count {
            guard characters[index].isASCIIDigit, index == 0 || !characters[index - 1].isASCIIDigit else {
                output.append(characters[index])
                index += 1
                continue
            }
            // The longest run of digits with single separators from here.
            var end = index
            var digits: [Int] = []
            var lastDigitEnd = index
            while end < characters.count {
                if characters[end].isASCIIDigit {
                    digits.append(characters[end].wholeNumberValue!)
                    end += 1
                    lastDigitEnd = end
                } else if (characters[end] == " " || characters[end] == "-"), end + 1 < characters.count, characters[end + 1].isASCIIDigit,
                          !digits.isEmpty {
                    end += 1
                } else {
                    break
                }
            }
            if (13...19).contains(digits.count), luhnValid(digits) {
                output += redacted + digits.suffix(4).map(String.init).joined()
            } else {
                output += String(characters[index..<lastDigitEnd])
            }
            index = lastDigitEnd
        }
        return output
    }

    static func luhnValid(_ digits: [Int]) -> Bool {
        var sum = 0
        for (offset, digit) in digits.reversed().enumerated() {
            if offset % 2 == 1 {
                let doubled = digit * 2
                sum += doubled > 9 ? doubled - 9 : doubled
            } else {
                sum += digit
            }
        }
        return sum % 10 == 0
    }

    private static func scrubSecretsAssignments(_ text: String) -> String {
        guard containsSensitivePart(text.utf8) else { return text }
        // Tokens of the form key=value or key: value, split on whitespace; the value is replaced.
        var output: [Substring] = []
        var redactNext = false
        for token in text.split(separator: " ", omittingEmptySubsequences: false) {
            if redactNext, !token.isEmpty {
                output.append(Substring(redactingValue(token)))
                redactNext = false
                continue
            }
            if let separator = token.firstIndex(where: { $0 == "=" || $0 == ":" }), isSensitiveKey(String(token[..<separator])) {
                let value = token[token.index(after: separator)...]
                if value.isEmpty {
                    output.append(token)
                    redactNext = true
                } else {
                    output.append(token[...separator] + redactingValue(value))
                }
            } else {
                output.append(token)
            }
        }
        return output.joined(separator: " ")
    }
}

extension Scrubber {
    /// Replaces the value at the start of `token` and keeps what closes it: the quotes around a
    /// quoted value, and the `}`, `,` or `&` after a bare one, so `"password": "x"}` inside a
    /// string stays well-formed as `"password": "***REDACTED***"}`.
    static func redactingValue(_ token: Substring) -> String {
        if let quote = token.first, quote == "\"" || quote == "'" {
            let rest = token.dropFirst()
            guard let closing = rest.firstIndex(of: quote) else { return String(quote) + redacted }
            return rest.startIndex == closing ? String(token) : String(quote) + redacted + rest[closing...]
        }
        guard let end = token.firstIndex(where: { ",;&)]}".contains($0) }) else { return redacted }
        return end == token.startIndex ? String(token) : redacted + token[end...]
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
