extension Scrubber {
    /// Scrubs an rrweb chunk's JSON text. Returns the scrubbed text, or nil when nothing needed
    /// redacting (the chunk is then stored exactly as received).
    ///
    /// Password inputs are caught where the snapshot marks them (`attributes.type == "password"`);
    /// rrweb's recorder masks typed password text itself by default.
    public static func scrubReplayJSON(_ json: some Collection<UInt8>) throws -> [UInt8]? {
        // Most chunks need nothing: find that out from the bytes before building a tree.
        guard try JSONScanner.withScanner(over: json, { try needsScrubbing(&$0, depth: 0) }) else { return nil }
        let parsed = try JSONValue.parse(json)
        var writer = JSONWriter(reservingCapacity: json.count)
        writer.value(scrub(parsed))
        return writer.bytes
    }

    /// Whether `scrub` would change the next value; reads it without building anything.
    static func needsScrubbing(_ scanner: inout JSONScanner, depth: Int) throws -> Bool {
        guard depth < 256 else { throw JSONSyntaxError("JSON nested too deeply", offset: scanner.offset) }
        switch scanner.peek() {
        case UInt8(ascii: "{"):
            var found = false
            try scanner.readObject { scanner, key in
                if found { try scanner.skipValue(); return }
                let next = scanner.peek()
                if key == "type" || key == "value" || key == "text", next == UInt8(ascii: "\"") {
                    // A password input, or a value that may belong to one: let the full scrub decide.
                    let text = try scanner.readString()
                    found = key != "type" ? scrubText(text) != text : text.lowercased() == "password"
                } else if isSensitiveKey(key), next != UInt8(ascii: "{"), next != UInt8(ascii: "["), next != UInt8(ascii: "n") {
                    found = true
                    try scanner.skipValue()
                } else {
                    found = try needsScrubbing(&scanner, depth: depth + 1)
                }
            }
            return found
        case UInt8(ascii: "["):
            var found = false
            try scanner.readArray { scanner, _ in
                if found { try scanner.skipValue(); return }
                found = try needsScrubbing(&scanner, depth: depth + 1)
            }
            return found
        case UInt8(ascii: "\""):
            let text = try scanner.readString()
            return scrubText(text) != text
        default:
            try scanner.skipValue()
            return false
        }
    }
}
