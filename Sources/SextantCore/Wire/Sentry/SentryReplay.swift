import NIOCore

/// Sentry's session replay: a `replay_event` (which replay, which segment, its user and URLs) and
/// a `replay_recording` whose payload is a `{"segment_id": N}` line followed by the segment's
/// rrweb events, as JSON or zlib-compressed. Each segment becomes one chunk of the replay's
/// session, so Sentry browser replays play in Sextant's player.
public struct SentryReplaySegment: Sendable {
    public var replayID: String
    public var segmentID: Int
    /// The segment's rrweb events as a JSON array, scrubbed.
    public var events: [UInt8]
    public var summary: ReplayChunkSummary
    public var userID: String?
    public var entryURL: String?

    /// Pairs each recording with the replay event sent beside it in the envelope.
    static func segments(events: [JSONValue], recordings: [[UInt8]], inflateLimit: Int) throws -> [SentryReplaySegment] {
        guard !recordings.isEmpty else { return [] }
        guard let event = events.last, let replayID = event["replay_id"]?.stringValue, !replayID.isEmpty else {
            throw SentryEnvelopeError("a replay_recording needs a replay_event with a replay_id in the same envelope")
        }
        return try recordings.map { payload in
            let newline = payload.firstIndex(of: UInt8(ascii: "\n")) ?? payload.count
            guard let header = try? JSONValue.parse(payload[..<newline]),
                  let segment = header["segment_id"]?.numberValue?.int64(in: WireRange.sequence) else {
                throw SentryEnvelopeError("the replay_recording does not start with a {\"segment_id\": N} line")
            }
            let body = payload.count > newline ? Array(payload[(newline + 1)...]) : []
            var json = body
            if body.first != UInt8(ascii: "[") {
                do {
                    json = Array(try GzipBody.inflateZlib(ByteBuffer(bytes: body), limit: inflateLimit).readableBytesView)
                } catch {
                    throw SentryEnvelopeError("the replay_recording is neither JSON nor zlib")
                }
            }
            // Secrets never reach disk: a segment that needed scrubbing is stored scrubbed.
            let stored = (try? Scrubber.scrubReplayJSON(json)).flatMap { $0 } ?? json
            let summary: ReplayChunkSummary
            do {
                summary = try ReplayChunkInspector.inspect(stored)
            } catch let error as ReplayChunkError {
                throw SentryEnvelopeError("the replay_recording: \(error)")
            }
            return SentryReplaySegment(
                replayID: replayID, segmentID: Int(segment), events: stored, summary: summary,
                userID: event["user"]?["id"]?.stringValue, entryURL: event["urls"]?.arrayValue?.first?.stringValue)
        }
    }
}
