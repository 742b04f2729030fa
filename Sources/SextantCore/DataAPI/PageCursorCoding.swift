import Foundation

/// Lucent's opaque cursor: base64 of `{"createdAt": ISO, "id": …}`. Clients pass it back untouched.
public enum PageCursorCoding {
    public static func encode(_ cursor: PageCursor) -> String {
        let json = JSONValue.object(["createdAt": .string(ISOTimestamp.format(cursor.createdAt)), "id": .string(cursor.id)]).jsonText
        return Data(json.utf8).base64EncodedString()
    }

    /// Nil when the text is not a cursor this server wrote.
    public static func decode(_ text: String) -> PageCursor? {
        var padded = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        padded += String(repeating: "=", count: (4 - padded.count % 4) % 4)
        guard let data = Data(base64Encoded: padded), let json = try? JSONValue.parse(Array(data)),
              let created = json["createdAt"]?.stringValue.flatMap(ISOTimestamp.parse), let id = json["id"]?.stringValue
        else { return nil }
        return PageCursor(createdAt: created, id: id)
    }
}
