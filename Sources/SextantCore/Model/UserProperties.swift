/// What a client says about a user (PostHog's `$set` and `$set_once`): `set` overwrites,
/// `setOnce` only fills properties the user does not have yet.
public struct UserPropertyUpdate: Sendable, Equatable {
    public var userID: String
    public var ts: Int64
    public var set: [String: JSONValue]
    public var setOnce: [String: JSONValue]

    public init(userID: String, ts: Int64, set: [String: JSONValue] = [:], setOnce: [String: JSONValue] = [:]) {
        self.userID = userID
        self.ts = ts
        self.set = set
        self.setOnce = setOnce
    }

    public var isEmpty: Bool { self.set.isEmpty && setOnce.isEmpty }
}

public struct UserPropertyBatch: Sendable {
    public var projectID: Int64
    public var updates: [UserPropertyUpdate]

    public init(projectID: Int64, updates: [UserPropertyUpdate]) {
        self.projectID = projectID
        self.updates = updates
    }
}
