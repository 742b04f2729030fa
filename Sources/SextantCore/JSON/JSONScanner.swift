/// A pull scanner over JSON bytes.
///
/// Ingest decodes known fields straight from the bytes and keeps free-form members (`props`) as
/// the raw text they arrived in, so the hot path neither builds a generic tree nor re-encodes it.
/// A scanner only lives inside `withScanner`, which pins the bytes it points into.
public struct JSONScanner {
    @usableFromInline let bytes: UnsafeBufferPointer<UInt8>
    @usableFromInline var position: Int = 0
    private static let maximumDepth = 256

    init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    /// Runs `body` with a scanner over a contiguous copy of `source` (no copy when already contiguous).
    public static func withScanner<Result>(
        over source: some Collection<UInt8>,
        _ body: (inout JSONScanner) throws -> Result
    ) rethrows -> Result {
        if let result = try source.withContiguousStorageIfAvailable({ buffer in
            var scanner = JSONScanner(bytes: buffer)
            return try body(&scanner)
        }) {
            return result
        }
        let copy = Array(source)
        return try copy.withUnsafeBufferPointer { buffer in
            var scanner = JSONScanner(bytes: buffer)
            return try body(&scanner)
        }
    }

    public var offset: Int { position }

    /// The text of an already scanned range, e.g. one returned by `skipValue()`.
    public func text(of range: Range<Int>) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
    }

    func error(_ message: String) -> JSONSyntaxError {
        JSONSyntaxError(message, offset: position)
    }

    // MARK: Structure

    mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x0A, 0x0D, 0x09: position += 1
            default: return
            }
        }
    }

    /// The next significant byte, without consuming it.
    public mutating func peek() -> UInt8? {
        skipWhitespace()
        return position < bytes.count ? bytes[position] : nil
    }

    /// True when the next value is `null` (and consumes it).
    public mutating func consumeNull() throws -> Bool {
        guard peek() == UInt8(ascii: "n") else { return false }
        try expectLiteral("null")
        return true
    }

    public mutating func expectEnd() throws {
        skipWhitespace()
        guard position == bytes.count else { throw error("unexpected data after the JSON value") }
    }

    mutating func expect(_ byte: UInt8, _ what: String) throws {
        guard peek() == byte else { throw error("expected \(what)") }
        position += 1
    }

    /// Walks an object, calling `member` with each key; `member` must consume the value.
    public mutating func readObject(
        _ member: (inout JSONScanner, String) throws -> Void
    ) throws {
        try expect(UInt8(ascii: "{"), "an object")
        if peek() == UInt8(ascii: "}") {
            position += 1
            return
        }
        while true {
            guard peek() == UInt8(ascii: "\"") else { throw error("expected a member name") }
            let key = try readString()
            try expect(UInt8(ascii: ":"), "':'")
            try member(&self, key)
            switch peek() {
            case UInt8(ascii: ","): position += 1
            case UInt8(ascii: "}"): position += 1; return
            default: throw error("expected ',' or '}'")
            }
        }
    }

    /// Walks an array, calling `element` with each index; `element` must consume the value.
    public mutating func readArray(
        _ element: (inout JSONScanner, Int) throws -> Void
    ) throws {
        try expect(UInt8(ascii: "["), "an array")
        if peek() == UInt8(ascii: "]") {
            position += 1
            return
        }
        var index = 0
        while true {
            try element(&self, index)
            index += 1
            switch peek() {
            case UInt8(ascii: ","): position += 1
            case UInt8(ascii: "]"): position += 1; return
            default: throw error("expected ',' or ']'")
            }
        }
    }

    // MARK: Values

    /// Validates the next value and returns its byte range, without building anything.
    @discardableResult
    public mutating func skipValue() throws -> Range<Int> {
        _ = peek()
        let start = position
        try skipValue(depth: 0)
        return start..<position
    }

    private mutating func skipValue(depth: Int) throws {
        guard depth < Self.maximumDepth else { throw error("JSON nested too deeply") }
        switch peek() {
        case UInt8(ascii: "{"):
            try readObject { (scanner, _) in try scanner.skipValue(depth: depth + 1) }
        case UInt8(ascii: "["):
            try readArray { (scanner, _) in try scanner.skipValue(depth: depth + 1) }
        case UInt8(ascii: "\""):
            try skipString()
        case UInt8(ascii: "t"): try expectLiteral("true")
        case UInt8(ascii: "f"): try expectLiteral("false")
        case UInt8(ascii: "n"): try expectLiteral("null")
        case .some: _ = try readNumber()
        case nil: throw error("unexpected end of JSON")
        }
    }

    public mutating func readValue() throws -> JSONValue {
        try readValue(depth: 0)
    }

    private mutating func readValue(depth: Int) throws -> JSONValue {
        guard depth < Self.maximumDepth else { throw error("JSON nested too deeply") }
        switch peek() {
        case UInt8(ascii: "{"):
            var members: [String: JSONValue] = [:]
            try readObject { (scanner, key) in
                members[key] = try scanner.readValue(depth: depth + 1)
            }
            return .object(members)
        case UInt8(ascii: "["):
            var elements: [JSONValue] = []
            try readArray { (scanner, _) in
                elements.append(try scanner.readValue(depth: depth + 1))
            }
            return .array(elements)
        case UInt8(ascii: "\""): return .string(try readString())
        case UInt8(ascii: "t"): try expectLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectLiteral("null"); return .null
        case .some: return .number(try readNumber())
        case nil: throw error("unexpected end of JSON")
        }
    }

    private mutating func expectLiteral(_ literal: StaticString) throws {
        let count = literal.utf8CodeUnitCount
        guard position + count <= bytes.count else { throw error("invalid literal") }
        let matches = literal.withUTF8Buffer { expected in
            (0..<count).allSatisfy { bytes[position + $0] == expected[$0] }
        }
        guard matches else { throw error("invalid literal") }
        position += count
    }

    // MARK: Numbers

    /// Reads a number as a whole count of units when it has no fraction (the common case for
    /// timestamps), falling back to Double parsing otherwise.
    public mutating func readInteger() throws -> Int64 {
        let start = position
        let value = try readNumber()
        guard value.isFinite, abs(value) < 9.2e18 else {
            position = start
            throw error("number out of range")
        }
        return Int64(value)
    }

    public mutating func readNumber() throws -> Double {
        guard let first = peek(), first == UInt8(ascii: "-") || isDigit(first) else {
            throw error("expected a number")
        }
        let start = position
        var negative = false
        if bytes[position] == UInt8(ascii: "-") {
            negative = true
            position += 1
        }
        guard position < bytes.count, isDigit(bytes[position]) else { throw error("invalid number") }
        var integer: UInt64 = 0
        var digits = 0
        if bytes[position] == UInt8(ascii: "0") {
            position += 1
        } else {
            while position < bytes.count, isDigit(bytes[position]) {
                integer = integer &* 10 &+ UInt64(bytes[position] &- 0x30)
                digits += 1
                position += 1
            }
        }
        var simple = digits <= 18
        if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
            simple = false
            position += 1
            guard position < bytes.count, isDigit(bytes[position]) else { throw error("invalid number") }
            while position < bytes.count, isDigit(bytes[position]) { position += 1 }
        }
        if position < bytes.count, bytes[position] == UInt8(ascii: "e") || bytes[position] == UInt8(ascii: "E") {
            simple = false
            position += 1
            if position < bytes.count, bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-") {
                position += 1
            }
            guard position < bytes.count, isDigit(bytes[position]) else { throw error("invalid number") }
            while position < bytes.count, isDigit(bytes[position]) { position += 1 }
        }
        if simple {
            return negative ? -Double(integer) : Double(integer)
        }
        guard let value = Double(text(of: start..<position)) else { throw error("invalid number") }
        return value
    }

    private func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    // MARK: Strings

    public mutating func readString() throws -> String {
        guard peek() == UInt8(ascii: "\"") else { throw error("expected a string") }
        position += 1
        let start = position
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                let text = self.text(of: start..<position)
                position += 1
                return text
            }
            if byte == UInt8(ascii: "\\") { return try readEscapedString(from: start) }
            if byte < 0x20 { throw error("control character in string") }
            position += 1
        }
        throw error("unterminated string")
    }

    private mutating func skipString() throws {
        position += 1
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                position += 1
                return
            }
            if byte < 0x20 { throw error("control character in string") }
            if byte == UInt8(ascii: "\\") {
                position += 1
                guard position < bytes.count else { break }
                if bytes[position] == UInt8(ascii: "u") {
                    _ = try readHex4(at: position + 1)
                    position += 4
                } else if !Self.simpleEscapes.contains(bytes[position]) {
                    throw error("invalid escape")
                }
            }
            position += 1
        }
        throw error("unterminated string")
    }

    private static let simpleEscapes: Set<UInt8> = Set("\"\\/bfnrt".utf8)

    private mutating func readEscapedString(from start: Int) throws -> String {
        var utf8 = Array(UnsafeBufferPointer(rebasing: bytes[start..<position]))
        while position < bytes.count {
            let byte = bytes[position]
            switch byte {
            case UInt8(ascii: "\""):
                position += 1
                return String(decoding: utf8, as: UTF8.self)
            case UInt8(ascii: "\\"):
                position += 1
                guard position < bytes.count else { throw error("unterminated string") }
                let escape = bytes[position]
                position += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): utf8.append(escape)
                case UInt8(ascii: "b"): utf8.append(0x08)
                case UInt8(ascii: "f"): utf8.append(0x0C)
                case UInt8(ascii: "n"): utf8.append(0x0A)
                case UInt8(ascii: "r"): utf8.append(0x0D)
                case UInt8(ascii: "t"): utf8.append(0x09)
                case UInt8(ascii: "u"): appendUTF8(of: try readUnicodeEscape(), to: &utf8)
                default: throw error("invalid escape")
                }
            default:
                if byte < 0x20 { throw error("control character in string") }
                utf8.append(byte)
                position += 1
            }
        }
        throw error("unterminated string")
    }

    /// Reads the hex digits after `\u` (and a following low surrogate), returning the scalar value.
    private mutating func readUnicodeEscape() throws -> UInt32 {
        let high = try readHex4(at: position)
        position += 4
        guard (0xD800...0xDBFF).contains(high) else {
            return (0xDC00...0xDFFF).contains(high) ? 0xFFFD : high
        }
        guard position + 6 <= bytes.count, bytes[position] == UInt8(ascii: "\\"),
              bytes[position + 1] == UInt8(ascii: "u") else { return 0xFFFD }
        let low = try readHex4(at: position + 2)
        guard (0xDC00...0xDFFF).contains(low) else { return 0xFFFD }
        position += 6
        return 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
    }

    private func readHex4(at index: Int) throws -> UInt32 {
        guard index + 4 <= bytes.count else { throw error("invalid unicode escape") }
        var value: UInt32 = 0
        for offset in 0..<4 {
            let byte = bytes[index + offset]
            let digit: UInt8
            switch byte {
            case 0x30...0x39: digit = byte - 0x30
            case 0x41...0x46: digit = byte - 0x41 + 10
            case 0x61...0x66: digit = byte - 0x61 + 10
            default: throw error("invalid unicode escape")
            }
            value = value << 4 | UInt32(digit)
        }
        return value
    }

    private func appendUTF8(of scalarValue: UInt32, to utf8: inout [UInt8]) {
        let scalar = Unicode.Scalar(scalarValue) ?? "\u{FFFD}"
        utf8.append(contentsOf: UTF8.encode(scalar)!)
    }
}
