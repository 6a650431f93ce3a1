// The int8 GEMM driver, on the float GEMM's structure (gemm.c): for each
// nc-wide panel of B and each kc-deep slice of k, pack B's slice into NR-wide
// micro-panels; for each mc-tall block of A, pack it into MR-tall micro-panels;
// run the micro-kernel over the block's tiles. Partial sums of earlier slices
// stay in C as int32; the last slice adds them and, for the dequantizing
// product, writes the tile as floats. Blocking follows the cache sizes as in
// gemm.c, counted in the packed element size (1 byte for VNNI, 2 otherwise).
#include "finch_cpu.h"
#include "finch_int8.h"
#include "gemm_int8_internal.h"
#include <stdlib.h>
#include <string.h>

typedef struct {
    int mr, nr;
    int group;     // k values per packed group: 4 (VNNI bytes) or 2 (int16 pairs)
    int element;   // bytes per packed value
    finch_int8_microkernel kernel;
    const char *name;
} finch_int8_kernel;

static const finch_int8_kernel kernels[3] = {
    {FINCH_INT8_PORTABLE_MR, FINCH_INT8_PORTABLE_NR, 2, 2, finch_int8_kernel_portable, "portable 4x16"},
    {FINCH_INT8_AVX2_MR, FINCH_INT8_AVX2_NR, 2, 2, finch_int8_kernel_avx2, "avx2 6x16"},
    {FINCH_VNNI_MR, FINCH_VNNI_NR, 4, 1, finch_int8_kernel_vnni, "avx512-vnni 12x32"},
};

// The widest int8 level the CPU allows: VNNI needs AVX-512 and the VNNI flag.
static int cpu_int8_level(void) {
    int level = finch_cpu_isa();
    if (level >= FINCH_ISA_AVX512 && !(finch_cpu_features() & FINCH_CPU_AVX512VNNI)) level = FINCH_ISA_AVX2;
    return level;
}

int finch_int8_isa(void) {
    int level = finch_isa();
    int cpu = cpu_int8_level();
    if (level > cpu) level = cpu;
    if (level >= FINCH_ISA_AVX512 && finch_vnni_disabled_by_environment()) level = FINCH_ISA_AVX2;
    return level;
}

const char *finch_int8_kernel_name(void) { return kernels[finch_int8_isa()].name; }

// The portable micro-kernel: int16 pairs, sums in plain C.
void finch_int8_kernel_portable(long kc, const void *pa, const void *pb, int32_t *c, long ldc, int accumulate,
                                const finch_dequant *dq, long mr, long nr) {
    enum { MR = FINCH_INT8_PORTABLE_MR, NR = FINCH_INT8_PORTABLE_NR };
    const int16_t *a = pa, *b = pb;
    int32_t acc[MR * NR] = {0};
    for (long g = 0; g < kc / 2; g++, a += 2 * MR, b += 2 * NR)
        for (int i = 0; i < MR; i++) {
            int32_t a0 = a[2 * i], a1 = a[2 * i + 1];
            for (int j = 0; j < NR; j++) acc[i * NR + j] += a0 * b[2 * j] + a1 * b[2 * j + 1];
        }
    finch_int8_store_tile(acc, NR, c, ldc, accumulate, dq, mr, nr);
}

void finch_int8_store_tile(const int32_t *tile, long tile_ld, int32_t *c, long ldc, int accumulate,
                           const finch_dequant *dq, long mr, long nr) {
    for (long i = 0; i < mr; i++) {
        int32_t *ci = c + i * ldc;
        const int32_t *ti = tile + i * tile_ld;
        for (long j = 0; j < nr; j++) {
            int32_t s = ti[j];
            if (accumulate) s += ci[j];
            if (dq) {
                float f = (float)(s - dq->row_zero[i] * dq->col_sum[j]);
                float v = f * (dq->row_scale[i] * dq->col_scale[j]) + (dq->bias ? dq->bias[j] : 0.0f);
                memcpy(ci + j, &v, sizeof v);
            } else {
                ci[j] = s;
            }
        }
    }
}

static long round_down(long x, long step) { return x < step ? step : x - x % step; }

// A packing buffer per thread, grown on demand and kept for later calls.
static _Thread_local unsigned char *pack_buffer;
static _Thread_local size_t pack_capacity;

static unsigned char *packing_space(size_t bytes) {
    if (bytes > pack_capacity) {
        free(pack_buffer);
        size_t rounded = (bytes + 63) & ~(size_t)63;
        pack_buffer = aligned_alloc(64, rounded);
        pack_capacity = pack_buffer ? rounded : 0;
    }
    return pack_buffer;
}

// Packs rows [r0, r0+count) × depth [p0, p0+kc) of a row-major byte matrix
// (A's u8 or B's s8 rows) into `width`-tall micro-panels of kcp (kc rounded up
// to the group) in the kernel's layout, zero-padded.
static void pack_rows(const finch_int8_kernel *u, int is_signed, const void *x, long ldx, long r0, long count, long p0,
                      long kc, long kcp, int width, unsigned char *dst) {
    for (long rb = 0; rb < count; rb += width) {
        long rows = count - rb < width ? count - rb : width;
        if (u->group == 4) {
            uint8_t *d = dst;
            for (long r = 0; r < width; r++) {
                const uint8_t *src = (const uint8_t *)x + (r0 + rb + r) * ldx + p0;
                for (long g = 0; g < kcp / 4; g++) {
                    uint8_t *out = d + (g * width + r) * 4;
                    if (r >= rows) {
                        memset(out, 0, 4);
                    } else if (4 * g + 4 <= kc) {
                        memcpy(out, src + 4 * g, 4);
                    } else {
                        for (long t = 0; t < 4; t++) out[t] = 4 * g + t < kc ? src[4 * g + t] : 0;
                    }
                }
            }
        } else {
            int16_t *d = (int16_t *)(void *)dst;
            for (long r = 0; r < width; r++) {
                const uint8_t *su = (const uint8_t *)x + (r0 + rb + r) * ldx + p0;
                const int8_t *ss = (const int8_t *)x + (r0 + rb + r) * ldx + p0;
                for (long p = 0; p < kcp; p++) {
                    int16_t v = 0;
                    if (r < rows && p < kc) v = is_signed ? (int16_t)ss[p] : (int16_t)su[p];
                    d[((p / 2) * width + r) * 2 + p % 2] = v;
                }
            }
        }
        dst += (size_t)kcp * (size_t)width * (size_t)u->element;
    }
}

static int capped(int level) {
    int cpu = cpu_int8_level();
    return level < 0 ? 0 : level > cpu ? cpu : level;
}

static void drive(int level, long m, long n, long k, const uint8_t *a, long lda, const int8_t *b, long ldb,
                  int32_t *c, long ldc, const finch_dequant *dq) {
    if (m <= 0 || n <= 0) return;
    if (k <= 0) {  // an empty sum: 0, or the bias once dequantized
        for (long i = 0; i < m; i++)
            for (long j = 0; j < n; j++) {
                if (dq) {
                    float v = dq->bias ? dq->bias[j] : 0.0f;
                    memcpy(c + i * ldc + j, &v, sizeof v);
                } else {
                    c[i * ldc + j] = 0;
                }
            }
        return;
    }
    const finch_int8_kernel *u = &kernels[capped(level)];
    const int mr = u->mr, nr = u->nr, es = u->element;
    long l1 = finch_cache_size(1), l2 = finch_cache_size(2), l3 = finch_cache_size(3);
    // kc: an A micro-panel fills three quarters of L1; mc: the A block half of
    // L2; nc: the B panel a quarter of L3 (as gemm.c), in packed bytes.
    long kc_max = (3 * l1 / 4) / ((long)mr * es);
    if (kc_max < 256) kc_max = 256;
    if (kc_max > 4096) kc_max = 4096;
    kc_max = round_down(kc_max, 4);
    long slices = (k + kc_max - 1) / kc_max;
    long kc_even = ((k + slices - 1) / slices + 3) / 4 * 4;
    long mc_max = round_down((l2 / 2) / (kc_even * es), mr);
    if (mc_max > 4096) mc_max = round_down(4096, mr);
    long nc_max = round_down((l3 / 4) / (kc_even * es), nr);
    if (nc_max > 8192) nc_max = round_down(8192, nr);
    long mc_cap = m < mc_max ? (m + mr - 1) / mr * mr : mc_max;
    long nc_cap = n < nc_max ? (n + nr - 1) / nr * nr : nc_max;
    unsigned char *space = packing_space((size_t)(mc_cap + nc_cap) * (size_t)kc_even * (size_t)es);
    if (!space) abort();  // out of memory: as malloc failing inside BLAS
    unsigned char *packed_b = space, *packed_a = space + (size_t)nc_cap * (size_t)kc_even * (size_t)es;

    for (long jc = 0; jc < n; jc += nc_max) {
        long nc = n - jc < nc_max ? n - jc : nc_max;
        for (long pc = 0; pc < k; pc += kc_even) {
            long kc = k - pc < kc_even ? k - pc : kc_even;
            long kcp = (kc + u->group - 1) / u->group * u->group;
            int accumulate = pc > 0, last = pc + kc >= k;
            pack_rows(u, 1, b, ldb, jc, nc, pc, kc, kcp, nr, packed_b);
            for (long ic = 0; ic < m; ic += mc_max) {
                long mc = m - ic < mc_max ? m - ic : mc_max;
                pack_rows(u, 0, a, lda, ic, mc, pc, kc, kcp, mr, packed_a);
                for (long jr = 0; jr < nc; jr += nr) {
                    long cols = nc - jr < nr ? nc - jr : nr;
                    const unsigned char *bp = packed_b + (size_t)jr * (size_t)kcp * (size_t)es;
                    for (long ir = 0; ir < mc; ir += mr) {
                        long rows = mc - ir < mr ? mc - ir : mr;
                        finch_dequant tile_dq, *t = NULL;
                        if (dq && last) {
                            long i0 = ic + ir, j0 = jc + jr;
                            tile_dq.row_scale = dq->row_scale + i0;
                            tile_dq.row_zero = dq->row_zero + i0;
                            tile_dq.col_scale = dq->col_scale + j0;
                            tile_dq.col_sum = dq->col_sum + j0;
                            tile_dq.bias = dq->bias ? dq->bias + j0 : NULL;
                            t = &tile_dq;
                        }
                        u->kernel(kcp, packed_a + (size_t)ir * (size_t)kcp * (size_t)es, bp,
                                  c + (ic + ir) * ldc + jc + jr, ldc, accumulate, t, rows, cols);
                    }
                }
            }
        }
    }
}

void finch_gemm_u8s8s32(long m, long n, long k, const uint8_t *a, long lda, const int8_t *b, long ldb, int32_t *c,
                        long ldc) {
    drive(finch_int8_isa(), m, n, k, a, lda, b, ldb, c, ldc, NULL);
}

void finch_gemm_u8s8s32_at_level(int level, long m, long n, long k, const uint8_t *a, long lda, const int8_t *b,
                                 long ldb, int32_t *c, long ldc) {
    drive(level, m, n, k, a, lda, b, ldb, c, ldc, NULL);
}

void finch_gemm_u8s8_dequant(long m, long n, long k, const uint8_t *a, long lda, const int8_t *b, long ldb,
                             const finch_dequant *dq, float *out, long ldo) {
    drive(finch_int8_isa(), m, n, k, a, lda, b, ldb, (int32_t *)(void *)out, ldo, dq);
}

void finch_gemm_u8s8_dequant_at_level(int level, long m, long n, long k, const uint8_t *a, long lda, const int8_t *b,
                                      long ldb, const finch_dequant *dq, float *out, long ldo) {
    drive(level, m, n, k, a, lda, b, ldb, (int32_t *)(void *)out, ldo, dq);
}
