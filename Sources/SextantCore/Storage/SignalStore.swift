/// Configured signals and their running match counts.
public protocol SignalStore: Sendable {
    func signals(organizationID: String?, after: PageCursor?, limit: Int) async throws -> Page<Signal>
    /// Creates a signal on a project (the CLI's `signals create`); a name is unique within its project.
    func createSignal(projectSlug: String, name: String, prompt: String?, match: SignalMatch, source: RecordSource, now: Int64) async throws -> Signal
    /// Deletes the signal and its counts; false when no signal has that id.
    func deleteSignal(id: String) async throws -> Bool
}
