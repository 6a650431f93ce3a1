import Foundation

/// How the server runs its monitors; tests shorten the waits and move the clock.
public struct MonitorOptions: Sendable {
    /// Seconds after a bucket's end before it is evaluated (late documents within it still count).
    public var graceSeconds: Double
    /// Seconds between checks for buckets due; an alert comes within `graceSeconds + tickSeconds` of its bucket's end.
    public var tickSeconds: Double
    /// Seconds an idle SSE stream waits before a keep-alive comment.
    public var keepAliveSeconds: Double
    public var retry: WebhookRetryPolicy
    /// "Now" for bucket closing.
    public var clock: @Sendable () -> Date

    public init(
        graceSeconds: Double = 0.25, tickSeconds: Double = 0.25, keepAliveSeconds: Double = 15,
        retry: WebhookRetryPolicy = WebhookRetryPolicy(),
        clock: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.graceSeconds = graceSeconds
        self.tickSeconds = tickSeconds
        self.keepAliveSeconds = keepAliveSeconds
        self.retry = retry
        self.clock = clock
    }
}
