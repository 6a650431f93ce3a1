import CFinchKernels
import Foundation

/// Which GEMM runs Finch's matrix products: Finch's own kernels or the
/// system BLAS. `FINCH_GEMM=finch|blas` forces one; otherwise Finch's kernel
/// runs wherever it has a SIMD micro-kernel (AVX-512 or AVX2+FMA), where it
/// measured at least as fast as OpenBLAS (BENCHMARKS.md), and BLAS elsewhere.
public enum GEMMBackend: String, CaseIterable, Sendable {
    /// Finch's packed, cache-blocked GEMM (CFinchKernels).
    case finch
    /// The system BLAS (OpenBLAS on Linux, Accelerate on macOS).
    case blas

    /// The backend in use and why, read once from the environment and the CPU.
    public static let selection: (backend: GEMMBackend, reason: String) = choose(
        environment: ProcessInfo.processInfo.environment["FINCH_GEMM"], isa: finch_cpu_isa_in_force())

    /// The backend every GEMM call uses: `forced` when set, else `selection`.
    public static var current: GEMMBackend { forced ?? selection.backend }

    /// Benchmarks and tests: overrides the selection (nil: back to it). Set it
    /// before starting work, not while products run.
    nonisolated(unsafe) public static var forced: GEMMBackend?

    /// The choice for a FINCH_GEMM value (nil when unset) and the kernel
    /// level in force; the reason is one sentence for `finch doctor`.
    static func choose(environment: String?, isa: Int32) -> (backend: GEMMBackend, reason: String) {
        if let value = environment, !value.isEmpty {
            if let forced = GEMMBackend(rawValue: value.lowercased()) {
                return (forced, "FINCH_GEMM=\(value) forces it")
            }
            return (defaultBackend(isa: isa).backend,
                    "FINCH_GEMM=\(value) is neither finch nor blas, so it is ignored; "
                        + defaultBackend(isa: isa).reason)
        }
        return defaultBackend(isa: isa)
    }

    private static func defaultBackend(isa: Int32) -> (backend: GEMMBackend, reason: String) {
        if isa >= Int32(FINCH_ISA_AVX2) {
            return (.finch, "the CPU runs Finch's \(String(cString: finch_isa_name(isa))) micro-kernel, "
                        + "measured at least as fast as OpenBLAS (BENCHMARKS.md)")
        }
        return (.blas, "the CPU has no AVX2/AVX-512, and Finch's portable micro-kernel is slower than BLAS")
    }
}

/// The kernel level every C kernel family runs now.
func finch_cpu_isa_in_force() -> Int32 { finch_isa() }
