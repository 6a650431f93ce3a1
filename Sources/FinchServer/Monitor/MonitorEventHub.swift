import Foundation
import Synchronization

/// One live event of a monitor, as Server-Sent Events carry it.
public struct MonitorEvent: Sendable, Equatable {
    /// `alert` or `document`.
    public var name: String
    /// The event's JSON (one line).
    public var data: Data

    public init(name: String, data: Data) {
        self.name = name
        self.data = data
    }
}

/// Fans a monitor's live events out to its connected SSE clients. Each
/// subscriber has its own bounded buffer (the newest `bufferSize` events), so
/// a slow client loses its oldest events rather than slowing ingest; `publish`
/// never waits.
public final class MonitorEventHub: Sendable {
    /// What a subscriber's stream yields: an event, or a keep-alive tick.
    public enum Item: Sendable, Equatable {
        case event(MonitorEvent)
        case keepAlive
    }

    private struct Subscriber {
        var monitor: String
        var continuation: AsyncStream<Item>.Continuation
    }

    private let subscribers = Mutex<[UUID: Subscriber]>([:])
    let bufferSize: Int

    public init(bufferSize: Int = 256) {
        self.bufferSize = max(1, bufferSize)
    }

    /// A stream of `monitor`'s events from now on; with `keepAliveSeconds`,
    /// a `.keepAlive` item whenever that long passed. The subscription ends
    /// when the stream is dropped or cancelled.
    public func subscribe(monitor: String, keepAliveSeconds: Double? = nil) -> AsyncStream<Item> {
        let (stream, continuation) = AsyncStream<Item>.makeStream(bufferingPolicy: .bufferingNewest(bufferSize))
        let id = UUID()
        subscribers.withLock { $0[id] = Subscriber(monitor: monitor, continuation: continuation) }
        let ticker: Task<Void, Never>? = keepAliveSeconds.map { seconds in
            Task {
                while !Task.isCancelled {
                    do { try await Task.sleep(nanoseconds: UInt64(seconds * 1e9)) } catch { return }
                    continuation.yield(.keepAlive)
                }
            }
        }
        continuation.onTermination = { [weak self] _ in
            ticker?.cancel()
            _ = self?.subscribers.withLock { $0.removeValue(forKey: id) }
        }
        return stream
    }

    /// Sends `event` to every subscriber of `monitor`.
    public func publish(_ event: MonitorEvent, monitor: String) {
        let targets = subscribers.withLock { $0.values.filter { $0.monitor == monitor }.map(\.continuation) }
        for continuation in targets { continuation.yield(.event(event)) }
    }

    /// Subscribers of `monitor` now connected.
    public func subscriberCount(monitor: String) -> Int {
        subscribers.withLock { $0.values.filter { $0.monitor == monitor }.count }
    }

    /// Ends every subscription (server shutdown).
    public func finishAll() {
        let all = subscribers.withLock { s in
            defer { s.removeAll() }
            return s.values.map(\.continuation)
        }
        for continuation in all { continuation.finish() }
    }
}

/// The `text/event-stream` wire format.
enum ServerSentEvents {
    /// `event: NAME` and one `data:` line per line of the JSON, then a blank line.
    static func frame(_ event: MonitorEvent) -> String {
        let lines = String(decoding: event.data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        return "event: \(event.name)\n" + lines.map { "data: \($0)\n" }.joined() + "\n"
    }

    /// A comment line: ignored by clients, keeps proxies from closing an idle connection.
    static let keepAlive = ": keep-alive\n\n"

    /// The first bytes sent: a comment, and the reconnection delay.
    static let opening = ": connected\nretry: 3000\n\n"
}
