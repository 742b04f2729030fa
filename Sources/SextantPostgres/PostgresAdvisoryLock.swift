/// Keys of the advisory locks Sextant's nodes take on one database, so that work two nodes may
/// start at the same moment runs one after the other.
enum PostgresAdvisoryLock {
    /// Migrating the schema.
    static let migrations: Int64 = 0x5345_5854_0001
    /// Applying the configuration file at start.
    static let configuration: Int64 = 0x5345_5854_0002
    /// Taking event ids: held to the commit, so ids become visible in the order they were taken.
    static let eventIDs: Int64 = 0x5345_5854_0003
    /// The first half of a request window's two-part key (the second is the hashed window key).
    static let requestWindows: Int32 = 0x5358_0004
}
