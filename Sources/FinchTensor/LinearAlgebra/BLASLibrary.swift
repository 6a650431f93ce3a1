import CFinchBLAS
import CFinchKernels
import Foundation

/// What is known about the system BLAS: the kernel core OpenBLAS chose for
/// this CPU, and whether that is a generic fallback that runs far below the
/// CPU's speed (Debian's OpenBLAS 0.3.21 picks `Prescott`, SSE3, on newer Xeons).
public enum BLASLibrary {
    /// OpenBLAS's core name (`openblas_get_corename`), e.g. "Haswell", "SkylakeX", "Prescott".
    public static var coreName: String {
        #if canImport(Accelerate)
            return "Accelerate"
        #else
            return String(cString: openblas_get_corename())
        #endif
    }

    /// OpenBLAS cores with AVX2 (or wider) kernels; any other core on a CPU
    /// with AVX2 is a fallback.
    static let avx2Cores: Set<String> = ["haswell", "zen", "skylakex", "cooperlake", "sapphirerapids", "excavator"]

    /// A warning with the fix when OpenBLAS runs a core without AVX2 kernels
    /// on a CPU that has AVX2 (or AVX-512); nil otherwise.
    public static func fallbackWarning(coreName: String = coreName, cpuISA: Int32 = finch_cpu_isa()) -> String? {
        guard cpuISA >= Int32(FINCH_ISA_AVX2), coreName != "Accelerate",
            !avx2Cores.contains(coreName.lowercased())
        else { return nil }
        let core = cpuISA >= Int32(FINCH_ISA_AVX512) ? "SkylakeX" : "Haswell"
        return "OpenBLAS runs its generic '\(coreName)' kernels on this CPU, which has "
            + (cpuISA >= Int32(FINCH_ISA_AVX512) ? "AVX-512" : "AVX2")
            + ": matrix products run several times slower than they could. Fix: set OPENBLAS_CORETYPE=\(core), "
            + "or FINCH_GEMM=finch to use Finch's own kernels."
    }

    /// The warning to show once when the BLAS backend is in use; nil when
    /// Finch's GEMM runs or OpenBLAS's core fits the CPU.
    public static var warningForCurrentBackend: String? {
        GEMMBackend.current == .blas ? fallbackWarning() : nil
    }
}

/// Who threads BLAS calls. By default Finch does (OpenBLAS runs one thread per
/// call, inside Finch's workers); `FINCH_BLAS_THREADS=openblas` leaves
/// threading to OpenBLAS instead. Finch's own GEMM is always threaded by Finch.
public enum GEMMThreading {
    /// True when Finch splits GEMMs itself.
    public static let finchThreads: Bool = ProcessInfo.processInfo.environment["FINCH_BLAS_THREADS"] != "openblas"

    /// Sets OpenBLAS to one thread for the process when Finch threads; once, lazily.
    private static let configured: Bool = {
        if finchThreads { openblas_set_num_threads(1) }
        return true
    }()

    @inline(__always)
    static func configureOnce() { _ = configured }

    private static let lock = NSLock()
    nonisolated(unsafe) private static var active = 0
    nonisolated(unsafe) private static var saved: Int32 = 1

    /// Runs `body` with OpenBLAS limited to one thread (the inference path
    /// splits every GEMM across Finch's workers itself); the setting OpenBLAS
    /// had is restored when the last such body ends. Other threads calling
    /// BLAS meanwhile are only slower, never wrong.
    public static func singleThreadedBLAS<R>(_ body: () throws -> R) rethrows -> R {
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

    /// OpenBLAS's thread count now (benchmarks report it).
    public static var blasThreads: Int { Int(openblas_get_num_threads()) }

    /// Sets OpenBLAS's thread count (benchmarks comparing thread counts).
    public static func setBLASThreads(_ n: Int) { openblas_set_num_threads(Int32(n)) }
}
