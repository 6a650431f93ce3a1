import CFinchKernels

/// The C kernels' one CPU dispatch seen from Swift (`finch doctor`, tests):
/// what the CPU offers, the level every kernel family runs, and why.
public enum KernelDispatch {
    /// Instruction-set levels, widest last.
    public enum Level: Int32, Comparable, Sendable {
        case portable = 0, avx2 = 1, avx512 = 2
        public static func < (a: Level, b: Level) -> Bool { a.rawValue < b.rawValue }
        /// "portable", "avx2" or "avx512".
        public var name: String { String(cString: finch_isa_name(rawValue)) }
    }

    /// The kernel families that read the dispatch.
    public enum Family: String, CaseIterable, Sendable {
        /// Softmax, log-softmax, layer norm, GELU (erf), exp and their gradients.
        case rows
        /// The inference path's activations and bias fills.
        case activations
        /// The GEMM micro-kernels and the GEMV.
        case gemm
        /// The int8 GEMM micro-kernels (`.avx512` is the AVX-512 VNNI kernel,
        /// which needs the CPU's VNNI flag and FINCH_DISABLE_VNNI unset).
        case int8
    }

    /// CPU features the OS enables, by name ("avx2", "fma", "avx512f", …, "avx512bf16", "neon").
    public static var cpuFeatures: [String] {
        let f = finch_cpu_features()
        let names: [(UInt32, String)] = [
            (UInt32(FINCH_CPU_AVX2), "avx2"), (UInt32(FINCH_CPU_FMA), "fma"), (UInt32(FINCH_CPU_AVX512F), "avx512f"),
            (UInt32(FINCH_CPU_AVX512BW), "avx512bw"), (UInt32(FINCH_CPU_AVX512DQ), "avx512dq"),
            (UInt32(FINCH_CPU_AVX512VL), "avx512vl"), (UInt32(FINCH_CPU_AVX512VNNI), "avx512vnni"),
            (UInt32(FINCH_CPU_AVX512BF16), "avx512bf16"), (UInt32(FINCH_CPU_NEON), "neon"),
        ]
        return names.filter { f & $0.0 != 0 }.map(\.1)
    }

    /// The CPU's brand string, display family and model (CPUID; "" and −1 where unknown).
    public static var cpuIdentity: (name: String, family: Int, model: Int) {
        var buffer = [CChar](repeating: 0, count: 64)
        var family: Int32 = -1, model: Int32 = -1
        finch_cpu_identity(&buffer, Int32(buffer.count), &family, &model)
        let bytes = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        return (String(decoding: bytes, as: UTF8.self), Int(family), Int(model))
    }

    /// The widest level the CPU and OS allow.
    public static var cpuLevel: Level { Level(rawValue: finch_cpu_isa()) ?? .portable }

    /// The level in force: `cpuLevel`, capped at AVX2 by FINCH_DISABLE_AVX512=1.
    public static var level: Level { Level(rawValue: finch_isa()) ?? .portable }

    /// True when FINCH_DISABLE_AVX512=1 caps the kernels.
    public static var avx512DisabledByEnvironment: Bool { finch_avx512_disabled_by_environment() != 0 }

    /// The level `family` runs now (row kernels have AVX-512 and portable variants only).
    public static func level(of family: Family) -> Level {
        let raw: Int32
        switch family {
        case .rows: raw = finch_rows_isa()
        case .activations: raw = finch_activations_isa()
        case .gemm: raw = finch_gemm_isa()
        case .int8: raw = finch_int8_isa()
        }
        return Level(rawValue: raw) ?? .portable
    }

    /// The GEMM micro-kernel in use, e.g. "avx512 12x32".
    public static var gemmKernel: String { String(cString: finch_gemm_kernel_name()) }

    /// The int8 GEMM micro-kernel in use, e.g. "avx512-vnni 12x32".
    public static var int8Kernel: String { String(cString: finch_int8_kernel_name()) }

    /// True when FINCH_DISABLE_VNNI=1 keeps the int8 GEMM off its VNNI kernel.
    public static var vnniDisabledByEnvironment: Bool { finch_vnni_disabled_by_environment() != 0 }

    /// The GEMM's cache blocking now (rows of A, depth, columns of B per packed block).
    public static var gemmBlocking: (mc: Int, kc: Int, nc: Int) {
        var mc = 0, kc = 0, nc = 0
        finch_gemm_blocking(&mc, &kc, &nc)
        return (mc, kc, nc)
    }

    /// Data cache sizes in bytes (levels 1–3) the blocking is computed from.
    public static var cacheSizes: [Int] { (1...3).map { finch_cache_size(Int32($0)) } }

    /// Tests only: caps every family at `level` (nil: automatic). Not safe while kernels run.
    @discardableResult
    public static func force(_ level: Level?) -> Level {
        Level(rawValue: finch_force_isa(level?.rawValue ?? -1)) ?? .portable
    }

    /// Tests only: reads FINCH_DISABLE_AVX512 and FINCH_DISABLE_VNNI from the environment again.
    public static func reloadEnvironment() { finch_reload_environment() }
}
