import CFinchKernels
import Foundation

/// Which GEMM runs Finch's matrix products: Finch's own kernels or the
/// system BLAS. `FINCH_GEMM=finch|blas` forces one. Otherwise Finch's kernel
/// runs where OpenBLAS has no kernels for the CPU's AVX2/AVX-512 (a generic
/// fallback core such as `Prescott`, several times slower), and OpenBLAS
/// runs where its core fits the CPU: there it measured slightly faster than
/// Finch's kernel (BENCHMARKS.md, Zen 4: Finch 0.85–1.04× of OpenBLAS's
/// Cooperlake core), and on a CPU without AVX2 Finch has only portable C.
public enum GEMMBackend: String, CaseIterable, Sendable {
    /// Finch's packed, cache-blocked GEMM (CFinchKernels).
    case finch
    /// The system BLAS (OpenBLAS on Linux, Accelerate on macOS).
    case blas

    /// The backend in use and why, read once from the environment and the CPU.
    public static let selection: (backend: GEMMBackend, reason: String) = choose(
        environment: ProcessInfo.processInfo.environment["FINCH_GEMM"], isa: finch_cpu_isa_in_force(),
        blasCore: BLASLibrary.coreName)

    /// The backend every GEMM call uses: `forced` when set, else `selection`.
    public static var current: GEMMBackend { forced ?? selection.backend }

    /// Benchmarks and tests: overrides the selection (nil: back to it). Set it
    /// before starting work, not while products run.
    nonisolated(unsafe) public static var forced: GEMMBackend?

    /// The choice for a FINCH_GEMM value (nil when unset), the kernel level in
    /// force and OpenBLAS's core; the reason is one sentence for `finch doctor`.
    static func choose(environment: String?, isa: Int32, blasCore: String) -> (backend: GEMMBackend, reason: String) {
        if let value = environment, !value.isEmpty {
            if let forced = GEMMBackend(rawValue: value.lowercased()) {
                return (forced, "FINCH_GEMM=\(value) forces it")
            }
            let fallback = defaultBackend(isa: isa, blasCore: blasCore)
            return (fallback.backend, "FINCH_GEMM=\(value) is neither finch nor blas, so it is ignored; " + fallback.reason)
        }
        return defaultBackend(isa: isa, blasCore: blasCore)
    }

    private static func defaultBackend(isa: Int32, blasCore: String) -> (backend: GEMMBackend, reason: String) {
        let level = String(cString: finch_isa_name(isa))
        if isa < Int32(FINCH_ISA_AVX2) {
            return (.blas, "the CPU has no AVX2/AVX-512, and Finch's portable micro-kernel is slower than BLAS")
        }
        if BLASLibrary.fallbackWarning(coreName: blasCore, cpuISA: isa) != nil {
            return (
                .finch,
                "OpenBLAS runs its generic '\(blasCore)' kernels on this CPU; Finch's \(level) micro-kernel "
                    + "is several times faster"
            )
        }
        return (
            .blas,
            "OpenBLAS's '\(blasCore)' kernels fit this CPU and measured slightly faster than Finch's "
                + "\(level) micro-kernel (BENCHMARKS.md); FINCH_GEMM=finch selects Finch's"
        )
    }
}

/// The kernel level every C kernel family runs now.
func finch_cpu_isa_in_force() -> Int32 { finch_isa() }
