import FinchTensor
import Logging

/// What the service says at start-up about OpenBLAS (the check `finch doctor` makes): when OpenBLAS
/// picked a generic core for this CPU (Debian's 0.3.21 picks `Prescott`, SSE3, on AVX-512 Xeons),
/// one structured warning line naming the core and which GEMM Finch runs instead.
public struct BLASCoreReport: Sendable, Equatable {
    /// OpenBLAS's core name (`openblas_get_corename`).
    public var coreName: String
    /// The CPU's instruction-set level (before `FINCH_DISABLE_AVX512`).
    public var cpuLevel: KernelDispatch.Level
    /// The GEMM that runs the matrix products.
    public var gemm: GEMMBackend
    /// Why that GEMM (`GEMMBackend.selection.reason`).
    public var gemmReason: String
    /// Finch's micro-kernel (`KernelDispatch.gemmKernel`), used when `gemm` is `.finch`.
    public var finchKernel: String

    /// Creates a report (tests give a fallback core on purpose).
    public init(coreName: String, cpuLevel: KernelDispatch.Level, gemm: GEMMBackend, gemmReason: String, finchKernel: String) {
        self.coreName = coreName
        self.cpuLevel = cpuLevel
        self.gemm = gemm
        self.gemmReason = gemmReason
        self.finchKernel = finchKernel
    }

    /// This process: its OpenBLAS core, CPU and GEMM selection.
    public static var current: BLASCoreReport {
        BLASCoreReport(
            coreName: BLASLibrary.coreName, cpuLevel: KernelDispatch.cpuLevel, gemm: GEMMBackend.current,
            gemmReason: GEMMBackend.selection.reason, finchKernel: KernelDispatch.gemmKernel)
    }

    /// The fix `finch doctor` prints, when the core is a generic fallback for this CPU; nil otherwise.
    public var fallbackFix: String? { BLASLibrary.fallbackWarning(coreName: coreName, cpuISA: cpuLevel.rawValue) }

    /// What Finch does about the fallback, in one sentence.
    public var action: String {
        switch gemm {
        case .finch:
            "Finch's own GEMM (\(finchKernel) micro-kernel) runs the matrix products; OpenBLAS is not used for them"
        case .blas:
            "OpenBLAS still runs the matrix products (\(gemmReason)), several times slower than this CPU allows"
        }
    }

    /// Logs one warning when the core is a fallback (`event` = `openblas_fallback_core`); nothing
    /// otherwise. Returns whether it logged.
    @discardableResult
    public func log(to logger: Logger) -> Bool {
        guard let fix = fallbackFix else { return false }
        logger.warning(
            "OpenBLAS runs its generic '\(coreName)' core on this \(cpuLevel.name) CPU; \(action)",
            metadata: [
                "event": "openblas_fallback_core", "openblas_core": .string(coreName), "cpu_level": .string(cpuLevel.name),
                "gemm": .string(gemm.rawValue), "gemm_kernel": .string(gemm == .finch ? finchKernel : "openblas"),
                "gemm_reason": .string(gemmReason), "fix": .string(fix),
            ])
        return true
    }
}
