extension Scrubber {
    /// Scrubs an rrweb chunk's JSON text. Returns the scrubbed text, or nil when nothing needed
    /// redacting (the chunk is then stored exactly as received).
    ///
    /// Password inputs are caught where the snapshot marks them (`attributes.type == "password"`);
    /// rrweb's recorder masks typed password text itself by default.
    public static func scrubReplayJSON(_ json: some Collection<UInt8>) throws -> [UInt8]? {
        let parsed = try JSONValue.parse(json)
        let scrubbed = scrub(parsed)
        guard scrubbed != parsed else { return nil }
        var writer = JSONWriter(reservingCapacity: json.count)
        writer.value(scrubbed)
        return writer.bytes
    }
}
