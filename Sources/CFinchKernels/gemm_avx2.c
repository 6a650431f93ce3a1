// The AVX2+FMA GEMM micro-kernel: a 6 × 16 tile of C in 12 ymm accumulators;
// per step of k, two loads of B and six broadcasts of A feed 12 FMAs.
#include "gemm_internal.h"

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#include <immintrin.h>

#define AVX2 __attribute__((target("avx2,fma")))
#define MR FINCH_AVX2_MR
#define NR FINCH_AVX2_NR

// One fused multiply-add on a scalar, rounded once like the vector FMA lanes.
AVX2 static inline float fmaf_avx2(float x, float y, float z) {
    return _mm_cvtss_f32(_mm_fmadd_ss(_mm_set_ss(x), _mm_set_ss(y), _mm_set_ss(z)));
}

#define STEP(i)                                                 \
    {                                                           \
        __m256 ai = _mm256_broadcast_ss(a + i);                 \
        c##i##0 = _mm256_fmadd_ps(ai, b0, c##i##0);             \
        c##i##1 = _mm256_fmadd_ps(ai, b1, c##i##1);             \
    }

// Row i of a full-width tile: alpha·acc (+ beta·C).
#define STORE(i)                                                                                \
    if (i < mr) {                                                                               \
        __m256 r0 = _mm256_mul_ps(valpha, c##i##0), r1 = _mm256_mul_ps(valpha, c##i##1);        \
        if (full) {                                                                             \
            float *ci = c + (i) * ldc;                                                          \
            if (beta != 0.0f) {                                                                 \
                r0 = _mm256_fmadd_ps(vbeta, _mm256_loadu_ps(ci), r0);                           \
                r1 = _mm256_fmadd_ps(vbeta, _mm256_loadu_ps(ci + 8), r1);                       \
            }                                                                                   \
            _mm256_storeu_ps(ci, r0);                                                           \
            _mm256_storeu_ps(ci + 8, r1);                                                       \
        } else {                                                                                \
            _mm256_storeu_ps(tile + (i) * NR, r0);                                              \
            _mm256_storeu_ps(tile + (i) * NR + 8, r1);                                          \
        }                                                                                       \
    }

AVX2 void finch_microkernel_avx2(long kc, const float *a, const float *b, float *c, long ldc, float alpha,
                                 float beta, long mr, long nr) {
    __m256 c00 = _mm256_setzero_ps(), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00;
    __m256 c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00;
    for (long p = 0; p < kc; p++) {
        __m256 b0 = _mm256_loadu_ps(b), b1 = _mm256_loadu_ps(b + 8);
        STEP(0) STEP(1) STEP(2) STEP(3) STEP(4) STEP(5)
        a += MR;
        b += NR;
    }
    __m256 valpha = _mm256_set1_ps(alpha), vbeta = _mm256_set1_ps(beta);
    int full = nr == NR;
    float tile[MR * NR];
    STORE(0) STORE(1) STORE(2) STORE(3) STORE(4) STORE(5)
    if (!full) {
        // Partial width: the lanes were computed as in a full tile; finish the
        // same arithmetic on the valid ones (one FMA per element, as above).
        for (long i = 0; i < mr; i++) {
            float *ci = c + i * ldc;
            for (long j = 0; j < nr; j++) {
                float r = tile[i * NR + j];
                ci[j] = beta != 0.0f ? fmaf_avx2(beta, ci[j], r) : r;
            }
        }
    }
}
#else
void finch_microkernel_avx2(long kc, const float *a, const float *b, float *c, long ldc, float alpha, float beta,
                            long mr, long nr) {
    (void)kc; (void)a; (void)b; (void)c; (void)ldc; (void)alpha; (void)beta; (void)mr; (void)nr;
}
#endif
