import ArgumentParser
import FinchTensor
import Foundation

/// `finch doctor`: what Finch's kernels run on this machine, and why.
struct Doctor: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show the CPU features, the kernels and GEMM Finch chose, and the OpenBLAS core.",
        discussion: """
            Prints the CPU and the features Finch's kernels use, the instruction
            set each kernel family runs (FINCH_DISABLE_AVX512=1 caps them at
            AVX2; FINCH_DISABLE_VNNI=1 keeps the int8 GEMM off AVX-512 VNNI),
            the int8 GEMM's micro-kernel, the bf16 GEMM's (training with
            --precision bf16: AVX512_BF16, else emulated), the GEMM in use (Finch's own kernel or
            the system BLAS; FINCH_GEMM=finch|blas forces one) and why, and the
            core OpenBLAS chose for this CPU. When OpenBLAS runs matrix products
            with a generic core on a CPU with AVX2 or AVX-512, a warning with the
            fix goes to standard error.
            """)

    @Flag(name: .long, help: "Print one JSON object instead of text.")
    var json = false

    func run() throws {
        let cpu = KernelDispatch.cpuIdentity
        let caches = KernelDispatch.cacheSizes
        let blocking = KernelDispatch.gemmBlocking
        let core = BLASLibrary.coreName
        let fallback = BLASLibrary.fallbackWarning(coreName: core) != nil
        let selection = (backend: GEMMBackend.current, reason: GEMMBackend.selection.reason)
        let families = KernelDispatch.Family.allCases.map { ($0.rawValue, KernelDispatch.level(of: $0).name) }
        if json {
            var object: [String: Any] = [
                "cpu": cpu.name, "cpu_family": cpu.family, "cpu_model": cpu.model,
                "cpu_features": KernelDispatch.cpuFeatures, "cache_bytes": caches,
                "kernel_level": KernelDispatch.level.name, "cpu_level": KernelDispatch.cpuLevel.name,
                "avx512_disabled_by_environment": KernelDispatch.avx512DisabledByEnvironment,
                "families": Dictionary(uniqueKeysWithValues: families),
                "gemm": selection.backend.rawValue, "gemm_reason": selection.reason,
                "gemm_kernel": KernelDispatch.gemmKernel, "int8_kernel": KernelDispatch.int8Kernel,
                "bf16_kernel": MatmulPrecision.bf16KernelName,
                "vnni_disabled_by_environment": KernelDispatch.vnniDisabledByEnvironment,
                "gemm_blocking": ["mc": blocking.mc, "kc": blocking.kc, "nc": blocking.nc],
                "openblas_core": core, "openblas_core_is_fallback": fallback, "threads": Parallel.threadCount,
            ]
            object["openblas_fix"] = BLASLibrary.fallbackWarning(coreName: core)
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            try StandardOutput.line(String(decoding: data, as: UTF8.self))
            return
        }
        var lines: [(String, String)] = []
        lines.append(("CPU", "\(cpu.name.isEmpty ? "unknown" : cpu.name) (family \(cpu.family), model \(cpu.model))"))
        lines.append(("features", KernelDispatch.cpuFeatures.joined(separator: " ")))
        lines.append(("caches", "L1d \(caches[0] / 1024) KiB, L2 \(caches[1] / 1024) KiB, L3 \(caches[2] / 1024) KiB"))
        var level = KernelDispatch.level.name
        if KernelDispatch.avx512DisabledByEnvironment {
            level += " (FINCH_DISABLE_AVX512=1; the CPU allows \(KernelDispatch.cpuLevel.name))"
        }
        lines.append(("kernels", level))
        for (family, name) in families { lines.append(("  " + family, name)) }
        lines.append(("GEMM", "\(selection.backend.rawValue): \(selection.reason)"))
        lines.append(("GEMM kernel", "\(KernelDispatch.gemmKernel), blocking mc \(blocking.mc) kc \(blocking.kc) nc \(blocking.nc)"))
        var int8 = KernelDispatch.int8Kernel
        if KernelDispatch.vnniDisabledByEnvironment { int8 += " (FINCH_DISABLE_VNNI=1)" }
        lines.append(("int8 kernel", int8))
        let bf16 = MatmulPrecision.bf16IsNative ? "" : " (no AVX512_BF16 here: --precision bf16 is no faster than fp32)"
        lines.append(("bf16 kernel", MatmulPrecision.bf16KernelName + bf16))
        let use = selection.backend == .blas ? "in use" : "not used for matrix products"
        lines.append(("OpenBLAS core", "\(core) (\(fallback ? "a generic fallback for this CPU" : "fits this CPU"); \(use))"))
        lines.append(("threads", "\(Parallel.threadCount)"))
        let width = lines.map(\.0.count).max() ?? 0
        for (key, value) in lines { try StandardOutput.line(key.padding(toLength: width + 2, withPad: " ", startingAt: 0) + value) }
    }
}

/// The once-per-process warning when OpenBLAS runs matrix products with a generic core.
enum BLASFallbackNotice {
    /// Writes `BLASLibrary.warningForCurrentBackend` to standard error, if any.
    static func emit() {
        if let warning = BLASLibrary.warningForCurrentBackend {
            StandardError.write("warning: \(warning)\n")
        }
    }
}
