/// Funnels, retention and paths: walks over each walker's events.
extension EventIndex {
    public func funnel(steps: [String], filter: TimeFilter, windowMs: Int64?, dropoff: FunnelDropoffQuery?) async throws -> FunnelReport {
        var vocabulary = WalkVocabulary(steps)
        var counter = FunnelCounter(steps: vocabulary.ids(steps), windowMs: windowMs, dropoff: dropoff)
        try await walk(&counter, vocabulary: &vocabulary, allNames: false, projectSlug: filter.projectSlug, from: filter.from, to: filter.to)
        return counter.report(
            sortKey: { walker in
                let (projectID, identity) = identity(ofWalker: walker)
                return "\(projectID):\(identity)"
            },
            identity: { identity(ofWalker: $0).identity })
    }

    public func retention(_ query: RetentionQuery) async throws -> [RetentionCohort] {
        var vocabulary = WalkVocabulary([query.startEvent, query.returnEvent])
        var counter = RetentionCounter(query, startID: vocabulary.ids([query.startEvent])[0], returnID: vocabulary.ids([query.returnEvent])[0])
        try await walk(&counter, vocabulary: &vocabulary, allNames: false, projectSlug: query.projectSlug, from: query.from, to: query.scanEnd)
        return counter.finish()
    }

    public func paths(_ query: PathQuery) async throws -> PathAnswer {
        // The start is numbered 0; every other name is numbered as the walk meets it.
        var vocabulary = WalkVocabulary([query.start])
        var counter = PathCounter(query, startID: 0)
        try await walk(&counter, vocabulary: &vocabulary, allNames: true, projectSlug: query.projectSlug, from: query.from, to: query.to)
        return counter.finish(vocabulary: vocabulary)
    }
}
