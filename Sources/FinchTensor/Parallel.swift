import Dispatch
import Foundation

/// Splits large loops across cores. GEMM threading is left to BLAS: Finch never
/// calls BLAS from inside one of these loops, so the two pools never overlap.
public enum Parallel {
    /// Worker count; the number of active cores unless `FINCH_NUM_THREADS` is
    /// set. Settable (for benchmarks comparing thread counts); set it before
    /// starting work, not while loops run.
    nonisolated(unsafe) public static var threadCount: Int = {
        if let s = ProcessInfo.processInfo.environment["FINCH_NUM_THREADS"], let n = Int(s), n > 0 { return n }
        return max(1, ProcessInfo.processInfo.activeProcessorCount)
    }()

    /// Below this many units of work a loop runs on the calling thread.
    public static let defaultGrain = 1 << 15

    /// Calls `body` on disjoint subranges covering `0..<count`, in parallel when
    /// `count * cost` is at least `grain`. `cost` is the work per index.
    @inlinable
    public static func forRanges(
        _ count: Int, cost: Int = 1, grain: Int = defaultGrain, _ body: (Range<Int>) -> Void
    ) {
        if count <= 0 { return }
        let work = count * max(cost, 1)
        let chunks = min(threadCount, count, max(1, work / grain))
        if chunks <= 1 {
            body(0..<count)
            return
        }
        withoutActuallyEscaping(body) { body in
            let box = UncheckedSendable(body)
            DispatchQueue.concurrentPerform(iterations: chunks) { c in
                let lo = count * c / chunks
                let hi = count * (c + 1) / chunks
                box.value(lo..<hi)
            }
        }
    }
}

/// Carries a value the caller guarantees is used safely across threads
/// (disjoint writes through raw pointers).
public struct UncheckedSendable<T>: @unchecked Sendable {
    public let value: T
    @inlinable public init(_ value: T) { self.value = value }
}
