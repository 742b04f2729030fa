extension EventIndex {
    /// Starts from the snapshot at `path` when the index has read nothing yet and the snapshot
    /// belongs to this store; returns whether it did. A damaged or foreign snapshot is ignored
    /// (the index then reads every event) and the error is thrown for the caller to report.
    @discardableResult
    public func restore(from path: String) async throws -> Bool {
        guard watermark == EventIndexWatermark(), projects.isEmpty else { return false }
        guard let contents = try EventIndexSnapshot.read(from: path) else { return false }
        // The newest event is never purged, so the last event id only grows: a snapshot past it
        // was written for another database.
        guard contents.watermark.event <= (try await source.lastEventID()) else {
            throw SnapshotError.damaged("it has read events this database does not have")
        }
        guard watermark == EventIndexWatermark(), projects.isEmpty else { return false }
        projects = contents.projects
        watermark = contents.watermark
        unsavedChanges = 0
        return true
    }

    /// Writes the snapshot when anything changed since the last one, then (with `trimming`) lets
    /// the source drop the tombstones it covers. Returns the number of events written, nil when nothing changed.
    /// The columns are captured on the actor and written off it, so that queries and the inbox go
    /// on while the file is written and synced (the captured arrays are shared, not copied).
    @discardableResult
    public func save(to path: String, trimming: Bool = true) async throws -> Int? {
        guard let contents = snapshotContents() else { return nil }
        do {
            try await Self.write(contents, to: path)
        } catch {
            unsavedChanges += 1  // still due
            throw error
        }
        if trimming, contents.watermark.tombstone > 0 { try await source.trimTombstones(through: contents.watermark.tombstone) }
        return contents.projects.values.reduce(0) { $0 + $1.eventCount }
    }

    /// Everything read so far, settled, and the changes counted as saved; nil when nothing changed.
    private func snapshotContents() -> EventIndexSnapshot.Contents? {
        guard unsavedChanges > 0 else { return nil }
        // Over a copy of the keys: iterating the dictionary itself would keep its storage alive, and
        // settling each project in place would then copy it (twice the index in memory, measured).
        for id in Array(projects.keys) { projects[id]!.settle() }
        unsavedChanges = 0
        return EventIndexSnapshot.Contents(watermark: watermark, projects: projects)
    }

    private nonisolated static func write(_ contents: EventIndexSnapshot.Contents, to path: String) async throws {
        try EventIndexSnapshot.write(contents, to: path)
    }

    public var changesSinceSnapshot: Int { unsavedChanges }
    public var eventCount: Int { projects.values.reduce(0) { $0 + $1.eventCount } }
}
