// The bf16 mixed-precision GEMM driver: the fp32 driver's loops (gemm.c) over
// panels packed as bf16 pairs (gemm_bf16_internal.h), or, on a CPU without
// AVX512_BF16, the fp32 GEMM on copies of the operands rounded to bf16.
#include "finch_bf16.h"
#include "finch_cpu.h"
#include "finch_gemm.h"
#include "gemm_bf16_internal.h"
#include "gemm_internal.h"
#include <stdlib.h>
#include <string.h>

float finch_bf16_round(float x) {
    uint32_t u;
    memcpy(&u, &x, sizeof u);
    if ((u & 0x7F800000u) == 0) {
        u &= 0x80000000u;  // zero or denormal: signed zero, as the CPU's conversion
    } else if ((u & 0x7FFFFFFFu) > 0x7F800000u) {
        u = (u | 0x00400000u) & 0xFFFF0000u;  // NaN stays a (quiet) NaN
    } else {
        u += 0x7FFFu + ((u >> 16) & 1u);  // to nearest, ties to even; overflow rounds to infinity
        u &= 0xFFFF0000u;
    }
    float r;
    memcpy(&r, &u, sizeof r);
    return r;
}

int finch_bf16_native(void) {
    return finch_isa() == FINCH_ISA_AVX512 && (finch_cpu_features() & FINCH_CPU_AVX512BF16) != 0;
}

const char *finch_bf16_kernel_name(void) { return finch_bf16_native() ? "avx512bf16 12x32" : "emulated"; }

// Copies the stored rows × cols of `x` (leading dimension ld) rounded to bf16, contiguous.
static float *rounded_copy(const float *x, long ld, long rows, long cols) {
    float *copy = malloc((size_t)rows * (size_t)cols * sizeof(float));
    if (!copy) abort();  // out of memory: as malloc failing inside BLAS
    for (long i = 0; i < rows; i++)
        for (long j = 0; j < cols; j++) copy[i * cols + j] = finch_bf16_round(x[i * ld + j]);
    return copy;
}

static void emulated(int trans_a, int trans_b, long m, long n, long k, float alpha, const float *a, long lda,
                     const float *b, long ldb, float beta, float *c, long ldc) {
    long a_rows = trans_a ? k : m, a_cols = trans_a ? m : k;
    long b_rows = trans_b ? n : k, b_cols = trans_b ? k : n;
    float *ra = rounded_copy(a, lda, a_rows, a_cols), *rb = rounded_copy(b, ldb, b_rows, b_cols);
    finch_sgemm(trans_a, trans_b, m, n, k, alpha, ra, a_cols, rb, b_cols, beta, c, ldc);
    free(ra);
    free(rb);
}

static long round_down(long x, long step) { return x < step ? step : x - x % step; }

// Blocking in bf16 bytes: an A micro-panel (MR × kc) in three quarters of L1,
// the A block (mc × kc) in half of L2, the B panel (kc × nc) in a quarter of L3.
static void blocking(long *mc, long *kc, long *nc) {
    long l1 = finch_cache_size(1), l2 = finch_cache_size(2), l3 = finch_cache_size(3);
    long k = (3 * l1 / 4) / (FINCH_BF16_MR * 2);
    if (k < 256) k = 256;
    if (k > 1024) k = 1024;
    k = round_down(k, 16);
    long m = round_down((l2 / 2) / (k * 2), FINCH_BF16_MR);
    if (m > 4096) m = round_down(4096, FINCH_BF16_MR);
    long n = round_down((l3 / 4) / (k * 2), FINCH_BF16_NR);
    if (n > 8192) n = round_down(8192, FINCH_BF16_NR);
    *mc = m;
    *kc = k;
    *nc = n;
}

static void native(int trans_a, int trans_b, long m, long n, long k, float alpha, const float *a, long lda,
                   const float *b, long ldb, float beta, float *c, long ldc) {
    const long mr = FINCH_BF16_MR, nr = FINCH_BF16_NR;
    long mc_max, kc_max, nc_max;
    blocking(&mc_max, &kc_max, &nc_max);
    // Equal, even kc slices, so that no pair straddles two slices.
    long slices = (k + kc_max - 1) / kc_max;
    long kc_even = ((k + slices - 1) / slices + 1) & ~1L;
    long mc_cap = m < mc_max ? (m + mr - 1) / mr * mr : mc_max;
    long nc_cap = n < nc_max ? (n + nr - 1) / nr * nr : nc_max;
    uint32_t *space = finch_gemm_packing_space((size_t)(mc_cap + nc_cap) * (size_t)(kc_even / 2) * sizeof(uint32_t));
    if (!space) abort();
    uint32_t *packed_b = space, *packed_a = space + nc_cap * (kc_even / 2);

    for (long jc = 0; jc < n; jc += nc_max) {
        long nc = n - jc < nc_max ? n - jc : nc_max;
        for (long pc = 0; pc < k; pc += kc_even) {
            long kc = k - pc < kc_even ? k - pc : kc_even, kc2 = (kc + 1) / 2;
            float slice_beta = pc == 0 ? beta : 1.0f;
            if (trans_b) finch_bf16_pack_along_avx512(b + jc * ldb + pc, ldb, nc, kc, (int)nr, packed_b);
            else finch_bf16_pack_across_avx512(b + pc * ldb + jc, ldb, nc, kc, (int)nr, packed_b);
            for (long ic = 0; ic < m; ic += mc_max) {
                long mc = m - ic < mc_max ? m - ic : mc_max;
                if (trans_a) finch_bf16_pack_across_avx512(a + pc * lda + ic, lda, mc, kc, (int)mr, packed_a);
                else finch_bf16_pack_along_avx512(a + ic * lda + pc, lda, mc, kc, (int)mr, packed_a);
                for (long jr = 0; jr < nc; jr += nr) {
                    long cols = nc - jr < nr ? nc - jr : nr;
                    const uint32_t *bp = packed_b + jr * kc2;
                    for (long ir = 0; ir < mc; ir += mr) {
                        long rows = mc - ir < mr ? mc - ir : mr;
                        finch_bf16_microkernel_avx512(kc2, packed_a + ir * kc2, bp, c + (ic + ir) * ldc + jc + jr,
                                                      ldc, alpha, slice_beta, rows, cols);
                    }
                }
            }
        }
    }
}

void finch_sbgemm_variant(int use_native, int trans_a, int trans_b, long m, long n, long k, float alpha,
                          const float *a, long lda, const float *b, long ldb, float beta, float *c, long ldc) {
    if (m <= 0 || n <= 0) return;
    if (k <= 0 || alpha == 0.0f) {
        finch_sgemm(trans_a, trans_b, m, n, 0, alpha, a, lda, b, ldb, beta, c, ldc);  // C = beta · C
        return;
    }
    if (use_native && finch_bf16_native()) native(trans_a, trans_b, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    else emulated(trans_a, trans_b, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

void finch_sbgemm(int trans_a, int trans_b, long m, long n, long k, float alpha, const float *a, long lda,
                  const float *b, long ldb, float beta, float *c, long ldc) {
    finch_sbgemm_variant(1, trans_a, trans_b, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}
