// Small helpers shared by the algorithms.

import FinchTensor
import Foundation

extension Array where Element == Float {
    /// Grows (with zeros) or shrinks to `count` elements.
    mutating func resize(to count: Int) {
        if count > self.count {
            append(contentsOf: repeatElement(0, count: count - self.count))
        } else if count < self.count {
            removeLast(self.count - count)
        }
    }
}

extension ContinuousClock.Instant {
    /// Seconds from this instant to now.
    var secondsSince: Double {
        let d = ContinuousClock.now - self
        return Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }
}

/// Hands out blocks of a loop to `Parallel.threadCount` workers on demand.
///
/// `Parallel.forRanges` gives each core one fixed range; on a machine where
/// another process holds a core, the whole loop then waits for the slow half.
/// Here each worker takes the next block when it finishes one, so a busy core
/// simply does fewer blocks (about 8 blocks per worker).
enum BlockScheduler {
    /// Calls `body` on disjoint blocks covering `0..<count`, in parallel when
    /// `count · cost` is at least `Parallel.defaultGrain`.
    static func forEachBlock(_ count: Int, cost: Int, _ body: (Range<Int>) -> Void) {
        let workers = Parallel.threadCount
        if count <= 0 { return }
        if workers == 1 || count * Swift.max(cost, 1) < Parallel.defaultGrain || count < 2 {
            body(0..<count)
            return
        }
        let blockSize = Swift.max(1, count / (workers * 8))
        let blocks = (count + blockSize - 1) / blockSize
        let counter = BlockCounter()
        Parallel.forRanges(workers, cost: Parallel.defaultGrain) { _ in
            while let b = counter.take(below: blocks) {
                body((b * blockSize)..<Swift.min(count, (b + 1) * blockSize))
            }
        }
    }
}

/// The shared "next block" index of a `BlockScheduler` loop.
private final class BlockCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var next = 0

    func take(below limit: Int) -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard next < limit else { return nil }
        next += 1
        return next - 1
    }
}
