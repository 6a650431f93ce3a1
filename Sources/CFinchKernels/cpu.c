// CPU detection and the one dispatch level every kernel family reads.
#include "finch_cpu.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <cpuid.h>

static unsigned long long read_xcr0(void) {
    unsigned eax, edx;
    __asm__ volatile("xgetbv" : "=a"(eax), "=d"(edx) : "c"(0));
    return ((unsigned long long)edx << 32) | eax;
}

static unsigned detect_features(void) {
    unsigned a, b, c, d, features = 0;
    if (!__get_cpuid(1, &a, &b, &c, &d)) return 0;
    int osxsave = (c >> 27) & 1, fma = (c >> 12) & 1, avx = (c >> 28) & 1;
    if (!osxsave || !avx) return 0;
    unsigned long long xcr0 = read_xcr0();
    int ymm_state = (xcr0 & 0x6) == 0x6;            // SSE and AVX registers saved
    int zmm_state = ymm_state && (xcr0 & 0xE0) == 0xE0;  // opmask, ZMM0-15 high halves, ZMM16-31
    if (!ymm_state) return 0;
    if (fma) features |= FINCH_CPU_FMA;
    if (__get_cpuid_max(0, 0) < 7) return features;
    __cpuid_count(7, 0, a, b, c, d);
    if ((b >> 5) & 1) features |= FINCH_CPU_AVX2;
    if (zmm_state) {
        if ((b >> 16) & 1) features |= FINCH_CPU_AVX512F;
        if ((b >> 17) & 1) features |= FINCH_CPU_AVX512DQ;
        if ((b >> 30) & 1) features |= FINCH_CPU_AVX512BW;
        if ((b >> 31) & 1) features |= FINCH_CPU_AVX512VL;
        if ((c >> 11) & 1) features |= FINCH_CPU_AVX512VNNI;
        unsigned a1, b1, c1, d1;
        __cpuid_count(7, 1, a1, b1, c1, d1);
        if ((a1 >> 5) & 1) features |= FINCH_CPU_AVX512BF16;
    }
    return features;
}
#elif defined(__aarch64__)
static unsigned detect_features(void) { return FINCH_CPU_NEON; }
#else
static unsigned detect_features(void) { return 0; }
#endif

static int features_cached = -1;

unsigned finch_cpu_features(void) {
    int f = __atomic_load_n(&features_cached, __ATOMIC_RELAXED);
    if (f < 0) {
        f = (int)detect_features();
        __atomic_store_n(&features_cached, f, __ATOMIC_RELAXED);
    }
    return (unsigned)f;
}

int finch_cpu_isa(void) {
    unsigned f = finch_cpu_features();
    const unsigned avx512 = FINCH_CPU_AVX512F | FINCH_CPU_AVX512BW | FINCH_CPU_AVX512DQ | FINCH_CPU_AVX512VL;
    const unsigned avx2 = FINCH_CPU_AVX2 | FINCH_CPU_FMA;
    if ((f & avx512) == avx512 && (f & avx2) == avx2) return FINCH_ISA_AVX512;
    if ((f & avx2) == avx2) return FINCH_ISA_AVX2;
    return FINCH_ISA_PORTABLE;
}

static int env_disabled = -1;  // FINCH_DISABLE_AVX512 at the last read
static int vnni_disabled = -1; // FINCH_DISABLE_VNNI at the last read
static int forced = -1;        // finch_force_isa
static int level_cached = -1;  // the level in force

static int compute_level(void) {
    if (env_disabled < 0) {
        const char *off = getenv("FINCH_DISABLE_AVX512");
        env_disabled = off && off[0] == '1' ? 1 : 0;
    }
    if (vnni_disabled < 0) {
        const char *off = getenv("FINCH_DISABLE_VNNI");
        vnni_disabled = off && off[0] == '1' ? 1 : 0;
    }
    int level = finch_cpu_isa();
    if (env_disabled && level > FINCH_ISA_AVX2) level = FINCH_ISA_AVX2;
    if (forced >= 0 && forced < level) level = forced;
    return level;
}

int finch_isa(void) {
    int level = __atomic_load_n(&level_cached, __ATOMIC_RELAXED);
    if (level < 0) {
        level = compute_level();
        __atomic_store_n(&level_cached, level, __ATOMIC_RELAXED);
    }
    return level;
}

int finch_avx512_disabled_by_environment(void) {
    (void)finch_isa();
    return env_disabled;
}

int finch_vnni_disabled_by_environment(void) {
    (void)finch_isa();
    return vnni_disabled;
}

int finch_force_isa(int level) {
    forced = level;
    level_cached = compute_level();
    return level_cached;
}

void finch_reload_environment(void) {
    env_disabled = -1;
    vnni_disabled = -1;
    level_cached = compute_level();
}

const char *finch_isa_name(int level) {
    switch (level) {
    case FINCH_ISA_AVX512: return "avx512";
    case FINCH_ISA_AVX2: return "avx2";
    default: return "portable";
    }
}

void finch_cpu_identity(char *buffer, int length, int *family, int *model) {
    if (length > 0) buffer[0] = 0;
    *family = -1;
    *model = -1;
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
    unsigned a, b, c, d;
    if (__get_cpuid(1, &a, &b, &c, &d)) {
        int base_family = (a >> 8) & 0xF, base_model = (a >> 4) & 0xF;
        *family = base_family == 0xF ? base_family + (int)((a >> 20) & 0xFF) : base_family;
        *model = base_family == 0x6 || base_family == 0xF ? base_model + (int)(((a >> 16) & 0xF) << 4) : base_model;
    }
    unsigned words[12];
    if (length < 49 || __get_cpuid_max(0x80000000, 0) < 0x80000004) return;
    for (unsigned leaf = 0; leaf < 3; leaf++)
        __get_cpuid(0x80000002 + leaf, &words[4 * leaf], &words[4 * leaf + 1], &words[4 * leaf + 2], &words[4 * leaf + 3]);
    memcpy(buffer, words, 48);
    buffer[48] = 0;
    int start = 0, end = 48;
    while (buffer[start] == ' ') start++;
    while (end > start && (buffer[end - 1] == ' ' || buffer[end - 1] == 0)) end--;
    memmove(buffer, buffer + start, (size_t)(end - start));
    buffer[end - start] = 0;
#else
    (void)length;
#endif
}

// Cache size in bytes of data/unified cache `level` of CPU 0 from sysfs; 0 when absent.
static long sysfs_cache_size(int level) {
    char path[96], text[32];
    for (int index = 0; index < 8; index++) {
        snprintf(path, sizeof path, "/sys/devices/system/cpu/cpu0/cache/index%d/level", index);
        FILE *f = fopen(path, "r");
        if (!f) return 0;
        int l = 0;
        int ok = fscanf(f, "%d", &l) == 1;
        fclose(f);
        if (!ok || l != level) continue;
        snprintf(path, sizeof path, "/sys/devices/system/cpu/cpu0/cache/index%d/type", index);
        f = fopen(path, "r");
        if (!f) continue;
        ok = fgets(text, sizeof text, f) != NULL;
        fclose(f);
        if (!ok || strncmp(text, "Instruction", 11) == 0) continue;
        snprintf(path, sizeof path, "/sys/devices/system/cpu/cpu0/cache/index%d/size", index);
        f = fopen(path, "r");
        if (!f) continue;
        long size = 0;
        char unit = 0;
        int n = fscanf(f, "%ld%c", &size, &unit);
        fclose(f);
        if (n < 1 || size <= 0) continue;
        if (unit == 'K') size *= 1024;
        else if (unit == 'M') size *= 1024 * 1024;
        return size;
    }
    return 0;
}

static long cache_sizes[4] = {0, -1, -1, -1};

long finch_cache_size(int level) {
    if (level < 1 || level > 3) return 0;
    long cached = __atomic_load_n(&cache_sizes[level], __ATOMIC_RELAXED);
    if (cached >= 0) return cached;
    static const long defaults[4] = {0, 32 * 1024, 1024 * 1024, 8 * 1024 * 1024};
    long size = sysfs_cache_size(level);
#if defined(_SC_LEVEL1_DCACHE_SIZE)
    if (size <= 0) {
        int names[4] = {0, _SC_LEVEL1_DCACHE_SIZE, _SC_LEVEL2_CACHE_SIZE, _SC_LEVEL3_CACHE_SIZE};
        size = sysconf(names[level]);
    }
#endif
    if (size <= 0 || size > (1L << 30)) size = defaults[level];
    __atomic_store_n(&cache_sizes[level], size, __ATOMIC_RELAXED);
    return size;
}
