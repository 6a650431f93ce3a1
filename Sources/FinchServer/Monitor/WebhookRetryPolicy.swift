/// How often and how far apart a failed webhook delivery is tried again:
/// at most `maxAttempts` attempts; the wait after attempt n is
/// `initialDelay · 2^(n−1)` capped at `maxDelay`, less a random jitter of up to
/// a quarter of it. Because jitter never takes more than a quarter, each wait
/// is at least 1.5× the longest possible previous one (until the cap): the
/// spacing grows, and a target that stays down receives `maxAttempts`
/// requests per delivery, never a storm.
public struct WebhookRetryPolicy: Sendable, Equatable {
    public var maxAttempts: Int
    /// Seconds before the second attempt (before jitter).
    public var initialDelay: Double
    /// The longest wait, in seconds.
    public var maxDelay: Double
    /// Seconds one attempt may take before it counts as failed.
    public var attemptTimeout: Double

    public init(maxAttempts: Int = 6, initialDelay: Double = 1, maxDelay: Double = 300, attemptTimeout: Double = 10) {
        self.maxAttempts = max(1, maxAttempts)
        self.initialDelay = initialDelay
        self.maxDelay = maxDelay
        self.attemptTimeout = attemptTimeout
    }

    /// The wait after failed attempt `attempt` (1-based), or nil when no attempt follows.
    /// `unit` is a random number in [0, 1).
    public func delay(after attempt: Int, unit: Double) -> Double? {
        guard attempt >= 1, attempt < maxAttempts else { return nil }
        var base = initialDelay
        for _ in 1..<attempt { base = Swift.min(base * 2, maxDelay) }
        base = Swift.min(base, maxDelay)
        return base * (1 - 0.25 * Swift.min(Swift.max(unit, 0), 1))
    }
}
