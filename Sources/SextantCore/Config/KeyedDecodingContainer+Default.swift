extension KeyedDecodingContainer {
    /// The value at `key`, or `fallback` when the file leaves it out (a wrong type still throws).
    func decode<Value: Decodable>(_ key: Key, or fallback: Value) throws -> Value {
        try decodeIfPresent(Value.self, forKey: key) ?? fallback
    }
}
