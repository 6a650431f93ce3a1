#ifndef FINCH_GEMM_INTERNAL_H
#define FINCH_GEMM_INTERNAL_H
#include <stddef.h>
// Micro-kernels of the GEMM. Each computes one mr × nr tile of C (mr ≤ MR,
// nr ≤ NR) from packed panels: `a` holds kc columns of MR values (A's rows
// of the tile, zero-padded), `b` kc rows of NR values (zero-padded). The tile
// becomes alpha · Σ_k a_k b_kᵀ + beta · C (C not read when beta is 0). A
// partial tile computes every lane as a full one does, so an element's value
// does not depend on where tiles start.
typedef void (*finch_microkernel)(long kc, const float *a, const float *b, float *c, long ldc, float alpha, float beta,
                                  long mr, long nr);

typedef struct {
    int isa;
    int mr, nr;
    finch_microkernel kernel;
    const char *name;
} finch_gemm_kernel;

void finch_microkernel_avx512(long kc, const float *a, const float *b, float *c, long ldc, float alpha, float beta,
                              long mr, long nr);
void finch_microkernel_avx2(long kc, const float *a, const float *b, float *c, long ldc, float alpha, float beta,
                            long mr, long nr);
void finch_microkernel_portable(long kc, const float *a, const float *b, float *c, long ldc, float alpha, float beta,
                                long mr, long nr);

#define FINCH_AVX512_MR 12
#define FINCH_AVX512_NR 32
#define FINCH_AVX2_MR 6
#define FINCH_AVX2_NR 16
#define FINCH_PORTABLE_MR 4
#define FINCH_PORTABLE_NR 16

/// Packs `count` rows × depth kc of a depth-contiguous operand (element (r, p)
/// at src[r·ld + p]) into micro-panels of `width`: dst[p·width + r], zero rows
/// past `count`. AVX-512 only (the driver calls it at that level).
void finch_pack_along_avx512(const float *src, long ld, long count, long kc, int width, float *dst);

/// A packing buffer of at least `bytes` for the calling thread, 64-byte
/// aligned, grown on demand and kept for later calls (the fp32 and bf16
/// GEMMs share it: neither calls the other while packed data is live).
void *finch_gemm_packing_space(size_t bytes);

/// Stores row i of an AVX-512 tile of 32 columns held in accumulators c<i>0
/// and c<i>1: alpha·acc (+ beta·C, C not read when beta is 0), with column
/// masks m0 and m1 for a partial tile. Used inside the fp32 and bf16
/// micro-kernels, which define c, ldc, mr, beta, valpha, vbeta, m0 and m1.
#define FINCH_AVX512_STORE_ROW(i)                                                             \
    if (i < mr) {                                                                             \
        float *ci = c + (i) * ldc;                                                            \
        __m512 r0 = _mm512_mul_ps(valpha, c##i##0), r1 = _mm512_mul_ps(valpha, c##i##1);      \
        if (beta != 0.0f) {                                                                   \
            r0 = _mm512_fmadd_ps(vbeta, _mm512_maskz_loadu_ps(m0, ci), r0);                   \
            r1 = _mm512_fmadd_ps(vbeta, _mm512_maskz_loadu_ps(m1, ci + 16), r1);              \
        }                                                                                     \
        _mm512_mask_storeu_ps(ci, m0, r0);                                                    \
        _mm512_mask_storeu_ps(ci + 16, m1, r1);                                               \
    }
#endif
