import Foundation
import Synchronization

/// The sessions `initialize` opened, each bound to the organization of the token that opened it.
/// Bounded: past `capacity` the least recently used session is forgotten (its client gets 404 and,
/// as the transport says, initializes again), so clients that never send DELETE cannot grow it.
final class MCPSessions: Sendable {
    struct Session: Sendable {
        let organizationID: String
        let protocolVersion: String
        var lastUsed: UInt64
    }

    private let capacity: Int
    private let state = Mutex<(sessions: [String: Session], tick: UInt64)>(([:], 0))

    init(capacity: Int = 10_000) {
        self.capacity = capacity
    }

    func open(organizationID: String, protocolVersion: String) -> String {
        let id = UUID().uuidString.lowercased()
        state.withLock { state in
            state.tick += 1
            if state.sessions.count >= capacity, let oldest = state.sessions.min(by: { $0.value.lastUsed < $1.value.lastUsed })?.key {
                state.sessions.removeValue(forKey: oldest)
            }
            state.sessions[id] = Session(organizationID: organizationID, protocolVersion: protocolVersion, lastUsed: state.tick)
        }
        return id
    }

    /// The session, when it exists and belongs to the organization; marks it used.
    func use(_ id: String, organizationID: String) -> Session? {
        state.withLock { state in
            guard var session = state.sessions[id], session.organizationID == organizationID else { return nil }
            state.tick += 1
            session.lastUsed = state.tick
            state.sessions[id] = session
            return session
        }
    }

    func close(_ id: String, organizationID: String) -> Bool {
        state.withLock { state in
            guard state.sessions[id]?.organizationID == organizationID else { return false }
            state.sessions.removeValue(forKey: id)
            return true
        }
    }
}
