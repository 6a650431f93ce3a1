import Foundation
import Synchronization

/// A token bucket per key: `burst` requests at once, refilled at
/// `perSecond`. `take` says whether a request may pass, and if not, after how
/// many whole seconds one will.
public final class RateLimiter: Sendable {
    public let perSecond: Double
    public let burst: Double
    private let buckets = Mutex<[String: (tokens: Double, updated: Double)]>([:])

    public init(perSecond: Double, burst: Double) {
        precondition(perSecond > 0 && burst >= 1, "a rate above 0 and a burst of at least 1")
        self.perSecond = perSecond
        self.burst = burst
    }

    /// nil when the request may pass (one token taken), else the seconds to wait.
    public func take(key: String, now: Double = Double(DispatchTime.now().uptimeNanoseconds) / 1e9) -> Int? {
        buckets.withLock { all in
            var bucket = all[key] ?? (burst, now)
            bucket.tokens = min(burst, bucket.tokens + (now - bucket.updated) * perSecond)
            bucket.updated = now
            defer { all[key] = bucket }
            if bucket.tokens >= 1 {
                bucket.tokens -= 1
                return nil
            }
            return max(1, Int(((1 - bucket.tokens) / perSecond).rounded(.up)))
        }
    }
}
