import FinchTensor

/// Keeps OpenBLAS's own thread pool out of the inference path (when BLAS is
/// the GEMM backend). There, Finch splits every GEMM by rows across its
/// `Parallel` workers (and runs attention GEMMs inside its loops), so BLAS
/// must run one thread per call: otherwise the pool's idle workers spin
/// (`sched_yield`) and take cores from Finch's row kernels.
enum BlasThreading {
    /// Runs `body` with OpenBLAS limited to one thread (`GEMMThreading.singleThreadedBLAS`).
    static func singleThreaded<R>(_ body: () throws -> R) rethrows -> R {
        try GEMMThreading.singleThreadedBLAS(body)
    }
}
