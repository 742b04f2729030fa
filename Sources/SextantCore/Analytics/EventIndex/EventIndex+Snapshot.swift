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

    /// Writes the snapshot when anything changed since the last one, then lets the source drop
    /// the tombstones it covers. Returns the number of events written, nil when nothing changed.
    @discardableResult
    public func save(to path: String) async throws -> Int? {
        guard unsavedChanges > 0 else { return nil }
        for id in projects.keys { projects[id]!.settle() }
        let saved = watermark
        try EventIndexSnapshot.write(EventIndexSnapshot.Contents(watermark: saved, projects: projects), to: path)
        unsavedChanges = 0
        if saved.tombstone > 0 { try await source.trimTombstones(through: saved.tombstone) }
        return eventCount
    }

    public var changesSinceSnapshot: Int { unsavedChanges }
    public var eventCount: Int { projects.values.reduce(0) { $0 + $1.eventCount } }
}
