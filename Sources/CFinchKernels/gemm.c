// The GEMM driver (GotoBLAS/BLIS structure): for each nc-wide panel of B and
// each kc-deep slice of k, pack B's slice into NR-wide micro-panels; for each
// mc-tall block of A, pack it into MR-tall micro-panels; then run the
// micro-kernel over the block's tiles. The packed B micro-panel in use
// (kc × NR) stays in L1, the packed A block (mc × kc) in L2, the packed B
// panel (kc × nc) in L3. Every element of C sums its kc slices in the order
// of k, each slice in one micro-kernel call, so the result does not depend on
// mc, nc, or where a caller's block of C starts.
#include "finch_cpu.h"
#include "finch_gemm.h"
#include "gemm_internal.h"
#include <stdlib.h>
#include <string.h>

static const finch_gemm_kernel kernels[3] = {
    {FINCH_ISA_PORTABLE, FINCH_PORTABLE_MR, FINCH_PORTABLE_NR, finch_microkernel_portable, "portable 4x16"},
    {FINCH_ISA_AVX2, FINCH_AVX2_MR, FINCH_AVX2_NR, finch_microkernel_avx2, "avx2 6x16"},
    {FINCH_ISA_AVX512, FINCH_AVX512_MR, FINCH_AVX512_NR, finch_microkernel_avx512, "avx512 12x32"},
};

int finch_gemm_isa(void) { return finch_isa(); }

static const finch_gemm_kernel *current_kernel(void) { return &kernels[finch_gemm_isa()]; }

const char *finch_gemm_kernel_name(void) { return current_kernel()->name; }

static long set_mc, set_kc, set_nc;  // finch_gemm_set_blocking; 0 = automatic

void finch_gemm_set_blocking(long mc, long kc, long nc) {
    set_mc = mc > 0 ? mc : 0;
    set_kc = kc > 0 ? kc : 0;
    set_nc = nc > 0 ? nc : 0;
}

static long round_down(long x, long step) { return x < step ? step : x - x % step; }

// Blocking for kernel `u`: kc so that an A micro-panel (MR × kc) fills three
// quarters of L1 (measured on Zen 4: kc 512 beats the B-panel-in-L1 rule's 128
// by 10–30 %); mc so that the A block fills half of L2; nc so that the B panel
// takes a quarter of L3.
static void blocking_for(const finch_gemm_kernel *u, long *mc, long *kc, long *nc) {
    long l1 = finch_cache_size(1), l2 = finch_cache_size(2), l3 = finch_cache_size(3);
    long k = (3 * l1 / 4) / ((long)u->mr * 4);
    if (k < 128) k = 128;
    if (k > 512) k = 512;
    k = set_kc ? set_kc : round_down(k, 8);
    long m = set_mc ? round_down(set_mc, u->mr) : round_down((l2 / 2) / (k * 4), u->mr);
    if (m > 4096) m = round_down(4096, u->mr);
    long n = set_nc ? round_down(set_nc, u->nr) : round_down((l3 / 4) / (k * 4), u->nr);
    if (n > 8192) n = round_down(8192, u->nr);
    *mc = m;
    *kc = k;
    *nc = n;
}

void finch_gemm_blocking(long *mc, long *kc, long *nc) { blocking_for(current_kernel(), mc, kc, nc); }

static _Thread_local void *pack_buffer;
static _Thread_local size_t pack_capacity;

void *finch_gemm_packing_space(size_t bytes) {
    if (bytes > pack_capacity) {
        free(pack_buffer);
        size_t rounded = (bytes + 63) & ~(size_t)63;
        pack_buffer = aligned_alloc(64, rounded);
        pack_capacity = pack_buffer ? rounded : 0;
    }
    return pack_buffer;
}

// Packs rows [i0, i0+mc) × depth [p0, p0+kc) of op(A) into MR-tall micro-panels.
static void pack_a(int trans, const float *a, long lda, long i0, long mc, long p0, long kc, int mr, float *dst) {
    for (long ir = 0; ir < mc; ir += mr) {
        long rows = mc - ir < mr ? mc - ir : mr;
        if (trans) {  // op(A)[i][p] = a[p·lda + i]: MR consecutive floats per p
            const float *src = a + p0 * lda + i0 + ir;
            for (long p = 0; p < kc; p++, src += lda, dst += mr) {
                long i = 0;
                for (; i < rows; i++) dst[i] = src[i];
                for (; i < mr; i++) dst[i] = 0;
            }
        } else {  // op(A)[i][p] = a[i·lda + p]
            for (long i = 0; i < mr; i++) {
                if (i < rows) {
                    const float *src = a + (i0 + ir + i) * lda + p0;
                    for (long p = 0; p < kc; p++) dst[p * mr + i] = src[p];
                } else {
                    for (long p = 0; p < kc; p++) dst[p * mr + i] = 0;
                }
            }
            dst += kc * mr;
        }
    }
}

// Packs depth [p0, p0+kc) × columns [j0, j0+nc) of op(B) into NR-wide micro-panels.
static void pack_b(int trans, const float *b, long ldb, long p0, long kc, long j0, long nc, int nr, float *dst) {
    for (long jr = 0; jr < nc; jr += nr) {
        long cols = nc - jr < nr ? nc - jr : nr;
        if (trans) {  // op(B)[p][j] = b[j·ldb + p]
            for (long j = 0; j < nr; j++) {
                if (j < cols) {
                    const float *src = b + (j0 + jr + j) * ldb + p0;
                    for (long p = 0; p < kc; p++) dst[p * nr + j] = src[p];
                } else {
                    for (long p = 0; p < kc; p++) dst[p * nr + j] = 0;
                }
            }
        } else {  // op(B)[p][j] = b[p·ldb + j]: NR consecutive floats per p
            const float *src = b + p0 * ldb + j0 + jr;
            for (long p = 0; p < kc; p++, src += ldb) {
                long j = 0;
                for (; j < cols; j++) dst[p * nr + j] = src[j];
                for (; j < nr; j++) dst[p * nr + j] = 0;
            }
        }
        dst += kc * nr;
    }
}

// C = beta · C for an m × n block (C = 0 when beta is 0, without reading it).
static void scale_c(long m, long n, float beta, float *c, long ldc) {
    for (long i = 0; i < m; i++) {
        float *ci = c + i * ldc;
        if (beta == 0.0f) memset(ci, 0, (size_t)n * sizeof(float));
        else if (beta != 1.0f) for (long j = 0; j < n; j++) ci[j] *= beta;
    }
}

void finch_sgemm(int trans_a, int trans_b, long m, long n, long k, float alpha, const float *a, long lda,
                 const float *b, long ldb, float beta, float *c, long ldc) {
    finch_sgemm_at_level(finch_gemm_isa(), trans_a, trans_b, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

void finch_sgemm_at_level(int level, int trans_a, int trans_b, long m, long n, long k, float alpha, const float *a,
                          long lda, const float *b, long ldb, float beta, float *c, long ldc) {
    if (m <= 0 || n <= 0) return;
    if (k <= 0 || alpha == 0.0f) {
        scale_c(m, n, beta, c, ldc);
        return;
    }
    int cpu = finch_cpu_isa();
    const finch_gemm_kernel *u = &kernels[level < 0 ? 0 : level > cpu ? cpu : level];
    const int mr = u->mr, nr = u->nr;
    long mc_max, kc_max, nc_max;
    blocking_for(u, &mc_max, &kc_max, &nc_max);
    // Equal kc slices (k = 385 with kc 384 becomes 193 + 192, not 384 + 1).
    long slices = (k + kc_max - 1) / kc_max;
    long kc_even = (k + slices - 1) / slices;
    long mc_cap = m < mc_max ? (m + mr - 1) / mr * mr : mc_max;
    long nc_cap = n < nc_max ? (n + nr - 1) / nr * nr : nc_max;
    float *space = finch_gemm_packing_space((size_t)(mc_cap + nc_cap) * (size_t)kc_even * sizeof(float));
    if (!space) abort();  // out of memory: as malloc failing inside BLAS
    float *packed_b = space, *packed_a = space + nc_cap * kc_even;

    for (long jc = 0; jc < n; jc += nc_max) {
        long nc = n - jc < nc_max ? n - jc : nc_max;
        for (long pc = 0; pc < k; pc += kc_even) {
            long kc = k - pc < kc_even ? k - pc : kc_even;
            float slice_beta = pc == 0 ? beta : 1.0f;
            if (trans_b && u->isa == FINCH_ISA_AVX512)
                finch_pack_along_avx512(b + jc * ldb + pc, ldb, nc, kc, nr, packed_b);
            else pack_b(trans_b, b, ldb, pc, kc, jc, nc, nr, packed_b);
            for (long ic = 0; ic < m; ic += mc_max) {
                long mc = m - ic < mc_max ? m - ic : mc_max;
                if (!trans_a && u->isa == FINCH_ISA_AVX512)
                    finch_pack_along_avx512(a + ic * lda + pc, lda, mc, kc, mr, packed_a);
                else pack_a(trans_a, a, lda, ic, mc, pc, kc, mr, packed_a);
                for (long jr = 0; jr < nc; jr += nr) {
                    long cols = nc - jr < nr ? nc - jr : nr;
                    const float *bp = packed_b + jr * kc;
                    for (long ir = 0; ir < mc; ir += mr) {
                        long rows = mc - ir < mr ? mc - ir : mr;
                        u->kernel(kc, packed_a + ir * kc, bp, c + (ic + ir) * ldc + jc + jr, ldc, alpha, slice_beta,
                                  rows, cols);
                    }
                }
            }
        }
    }
}

void finch_sgemm_strided_batched(int trans_a, int trans_b, long m, long n, long k, float alpha, const float *a,
                                 long lda, long stride_a, const float *b, long ldb, long stride_b, float beta,
                                 float *c, long ldc, long stride_c, long batch) {
    for (long i = 0; i < batch; i++)
        finch_sgemm(trans_a, trans_b, m, n, k, alpha, a + i * stride_a, lda, b + i * stride_b, ldb, beta,
                    c + i * stride_c, ldc);
}
