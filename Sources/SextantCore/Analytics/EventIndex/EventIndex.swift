/// The compact, dictionary-encoded columns of every project's events that funnels, retention,
/// paths, trends and the aggregates are answered from, so that no query scans the events table.
/// Before answering, the index reads what was committed since it last looked (events in id order,
/// and retention's tombstones), so every answer includes every committed event. It starts from
/// its snapshot when there is one (`EventIndexSnapshot`) and otherwise from the events themselves.
public actor EventIndex {
    static let readBatch = 50_000

    let source: any EventIndexSource
    /// What ingest commits hand over; see `EventIndexInbox`.
    public nonisolated let inbox = EventIndexInbox()
    var projects: [Int64: EventColumns] = [:]
    var watermark = EventIndexWatermark()
    /// Changes applied since the snapshot was last written.
    var unsavedChanges = 0

    public init(source: any EventIndexSource) {
        self.source = source
    }

    /// Applies everything committed since the last look: what the inbox holds, then whatever the
    /// store has beyond it.
    public func catchUp() async throws {
        takeInbox()
        while true {
            let from = watermark
            let changes = try await source.changes(after: from, limit: Self.readBatch)
            // Another caller applied the same changes while this one was reading: read again from there.
            guard watermark == from else { continue }
            apply(changes)
            if changes.isComplete { return }
        }
    }

    /// Applies the delivered commits that continue where the index stands, in order.
    func takeInbox() {
        for commit in inbox.take() where commit.previousEventID == watermark.event {
            for event in commit.events { projects[event.projectID, default: EventColumns()].append(event) }
            unsavedChanges += commit.events.count
            watermark.event = commit.events.last!.id
        }
    }

    func apply(_ changes: EventIndexChanges) {
        for tombstone in changes.tombstones where tombstone.event.id <= watermark.event {
            projects[tombstone.event.projectID]?.remove(tombstone.event)
        }
        for event in changes.events { projects[event.projectID, default: EventColumns()].append(event) }
        unsavedChanges += changes.events.count + changes.tombstones.count
        watermark = changes.watermark
    }

    /// The index's projects among `ids`, settled, in id order.
    func settledProjects(_ ids: [Int64]) -> [(id: Int64, columns: EventColumns)] {
        ids.sorted().compactMap { id in
            guard projects[id] != nil else { return nil }
            projects[id]!.settle()
            return (id, projects[id]!)
        }
    }

    func projectIDs(_ slug: String?) async throws -> [Int64] {
        try await source.projectIDs(slug: slug)
    }

    /// Walkers are numbered apart across projects: the project id in the high half.
    static func walker(project: Int64, number: Int) -> Int { Int(project) << 32 | number }

    /// Feeds `counter` every walker's events within `[from, to]` in time order, named as in
    /// `vocabulary`; with `allNames`, every name is added to the vocabulary, otherwise events
    /// named outside it are left out.
    func walk<Counter: WalkCounter>(
        _ counter: inout Counter, vocabulary: inout WalkVocabulary, allNames: Bool, projectSlug: String?, from: Int64?, to: Int64?
    ) async throws {
        let ids = try await projectIDs(projectSlug)
        try await catchUp()
        let lower = from ?? .min, upper = to ?? .max
        var buffer: [WalkEvent] = []
        for (projectID, columns) in settledProjects(ids) {
            let names = columns.kinds.map { allNames ? vocabulary.id(of: $0.name) : (vocabulary.existingID(of: $0.name) ?? -1) }
            columns.forEachWalker(includingAnonymous: false) { number, codes, times in
                buffer.removeAll(keepingCapacity: true)
                var index = from == nil ? 0 : Self.lowerBound(lower, in: times)
                while index < times.count, times[index] <= upper {
                    let name = names[Int(codes[index])]
                    if name >= 0 { buffer.append(WalkEvent(name: name, ts: times[index])) }
                    index += 1
                }
                if !buffer.isEmpty { counter.count(walker: Self.walker(project: projectID, number: number), events: buffer[...]) }
            }
        }
    }

    /// The project and identity of a walker number from `walk`.
    func identity(ofWalker walker: Int) -> (projectID: Int64, identity: String) {
        let projectID = Int64(walker >> 32)
        return (projectID, projects[projectID]?.walkers[walker & 0xFFFF_FFFF] ?? "")
    }

    static func lowerBound(_ ts: Int64, in times: UnsafeBufferPointer<Int64>) -> Int {
        times.partitionIndex(below: { $0 < ts })
    }
}
