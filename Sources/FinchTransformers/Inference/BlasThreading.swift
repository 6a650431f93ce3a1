import CFinchBLAS
import Foundation

/// Keeps OpenBLAS's own thread pool out of the inference path. There, Finch
/// splits every GEMM by rows across its `Parallel` workers (and runs
/// attention GEMMs inside its loops), so BLAS must run one thread per call:
/// otherwise the pool's idle workers spin (`sched_yield`) and take cores
/// from Finch's row kernels. While any inference runs, OpenBLAS is set to
/// one thread; the setting it had is restored when the last one ends. Other
/// threads calling BLAS meanwhile are only slower, never wrong.
enum BlasThreading {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var active = 0
    nonisolated(unsafe) private static var saved: Int32 = 1

    /// Runs `body` with OpenBLAS limited to one thread.
    static func singleThreaded<R>(_ body: () throws -> R) rethrows -> R {
        lock.lock()
        if active == 0 {
            saved = openblas_get_num_threads()
            if saved > 1 { openblas_set_num_threads(1) }
        }
        active += 1
        lock.unlock()
        defer {
            lock.lock()
            active -= 1
            if active == 0, saved > 1 { openblas_set_num_threads(saved) }
            lock.unlock()
        }
        return try body()
    }
}
