/// The kinds of event the spyglass SDK sends.
public enum EventType: String, Sendable, CaseIterable {
    case event
    case pageview
    case error
    case network
    case bugReport = "bug_report"

    /// Events that open an incident slice (`/v1/incidents/:id`).
    public var isIncident: Bool { self == .error || self == .bugReport }
}
