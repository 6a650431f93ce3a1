#ifndef FINCH_CPU_H
#define FINCH_CPU_H
// The one CPU dispatch of Finch's C kernels. The CPU is read once (CPUID, and
// XGETBV for the register state the OS saves), the result is cached, and every
// kernel family asks `finch_isa()` which instruction set to run. One
// environment switch, FINCH_DISABLE_AVX512=1, caps every family at AVX2+FMA.

/// Instruction-set levels, widest last.
enum {
    FINCH_ISA_PORTABLE = 0,  ///< plain C, any CPU
    FINCH_ISA_AVX2 = 1,      ///< AVX2 + FMA
    FINCH_ISA_AVX512 = 2     ///< AVX-512 F/BW/DQ/VL
};

/// CPU feature bits reported by `finch_cpu_features`.
enum {
    FINCH_CPU_AVX2 = 1 << 0,
    FINCH_CPU_FMA = 1 << 1,
    FINCH_CPU_AVX512F = 1 << 2,
    FINCH_CPU_AVX512BW = 1 << 3,
    FINCH_CPU_AVX512DQ = 1 << 4,
    FINCH_CPU_AVX512VL = 1 << 5,
    FINCH_CPU_AVX512VNNI = 1 << 6,
    FINCH_CPU_AVX512BF16 = 1 << 7,
    FINCH_CPU_NEON = 1 << 8
};

/// Features the CPU has and the OS enables (AVX state saved), read once.
unsigned finch_cpu_features(void);
/// The widest level the CPU and OS allow, ignoring the environment.
int finch_cpu_isa(void);
/// The level every kernel runs now: `finch_cpu_isa()`, capped at AVX2 when
/// FINCH_DISABLE_AVX512=1, and at a level forced by `finch_force_isa`.
int finch_isa(void);
/// 1 when FINCH_DISABLE_AVX512=1 was in the environment at the last read.
int finch_avx512_disabled_by_environment(void);
/// Tests only: runs at most `level` from now on (capped at the CPU's); -1
/// returns to the automatic choice. Returns the level now in force. Not safe
/// against kernels running at the same time.
int finch_force_isa(int level);
/// Reads the environment again (FINCH_DISABLE_AVX512, FINCH_DISABLE_VNNI); tests that set it in
/// process call this. Not safe against kernels running at the same time.
void finch_reload_environment(void);
/// The name of a level: "portable", "avx2", "avx512".
const char *finch_isa_name(int level);

/// The CPU's brand string (CPUID 0x80000002–4) into `buffer` (NUL-terminated,
/// empty where unknown), and its display family and model (−1 where unknown).
void finch_cpu_identity(char *buffer, int length, int *family, int *model);

/// Data cache sizes in bytes for levels 1–3, from sysfs (Linux) or sysconf,
/// with defaults (32 KiB, 1 MiB, 8 MiB) where neither answers. Read once.
long finch_cache_size(int level);
#endif
