import Foundation

/// Where async code calls a `RunStore`. The protocol is synchronous and a
/// store may block its caller (SQLite's file locks, `PostgresRunStore`'s wait
/// for the database); blocking a thread of Swift's cooperative pool (as wide
/// as the CPU count: 2 threads here) can stall every task, and a wait there
/// for work that itself needs the pool deadlocks. The service and the async
/// commands hand every store call to `run`, which does it on a thread of its
/// own and resumes the caller when it is done.
public enum RunStoreThread {
    /// Runs `body` on a new thread, off the cooperative pool, and returns what it returned.
    public static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                do { continuation.resume(returning: try body()) } catch { continuation.resume(throwing: error) }
            }
            thread.name = "finch-run-store"
            thread.start()
        }
    }

    /// True when the caller runs inside a task on a thread other than the main one: most likely a
    /// thread of the cooperative pool, where a store must not block.
    public static var onCooperativePool: Bool {
        withUnsafeCurrentTask { $0 != nil } && !Thread.isMainThread
    }
}
