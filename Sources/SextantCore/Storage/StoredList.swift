/// A list of strings as every backend stores it in one text column: a JSON array.
package enum StoredList {
    package static func encode(_ values: [String]) -> String {
        var writer = JSONWriter()
        writer.beginArray()
        for value in values { writer.string(value) }
        writer.endArray()
        return writer.text
    }

    /// The strings of a stored array; anything else stored there reads as no strings.
    package static func decode(_ text: String) -> [String] {
        (try? JSONValue.parse(text))?.arrayValue?.compactMap(\.stringValue) ?? []
    }
}

/// Token scopes as every backend stores them in one text column: their names, space-separated.
package enum StoredScopes {
    package static func encode(_ scopes: [TokenScope]) -> String { scopes.map(\.rawValue).joined(separator: " ") }

    /// The scopes named; a name this version does not know is left out.
    package static func decode(_ text: String) -> [TokenScope] { text.split(separator: " ").compactMap { TokenScope(rawValue: String($0)) } }
}
