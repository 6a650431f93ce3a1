// The AVX2 int8 micro-kernel: a 6 × 16 tile of int32 sums in 12 ymm
// accumulators. Values are packed widened to int16 pairs (u8 zero-extended,
// s8 sign-extended), so `vpmaddwd` sums each pair exactly into int32
// (`vpmaddubsw` would saturate at 16 bits); per pair of k, two loads of B and
// six broadcasts of A feed 12 multiply-adds.
#include "gemm_int8_internal.h"

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#include <immintrin.h>
#include <string.h>

#define AVX2 __attribute__((target("avx2,fma")))
#define MR FINCH_INT8_AVX2_MR
#define NR FINCH_INT8_AVX2_NR

static inline int32_t load_pair(const int16_t *p) {
    int32_t v;
    memcpy(&v, p, sizeof v);
    return v;
}

#define STEP(i)                                                                        \
    {                                                                                  \
        __m256i ai = _mm256_set1_epi32(load_pair(a + 2 * (i)));                        \
        c##i##0 = _mm256_add_epi32(c##i##0, _mm256_madd_epi16(ai, b0));                \
        c##i##1 = _mm256_add_epi32(c##i##1, _mm256_madd_epi16(ai, b1));                \
    }

#define SPILL(i)                                                      \
    _mm256_storeu_si256((__m256i *)(tile + (i) * NR), c##i##0);       \
    _mm256_storeu_si256((__m256i *)(tile + (i) * NR + 8), c##i##1);

AVX2 void finch_int8_kernel_avx2(long kc, const void *pa, const void *pb, int32_t *c, long ldc, int accumulate,
                                 const finch_dequant *dq, long mr, long nr) {
    const int16_t *a = pa, *b = pb;
    __m256i c00 = _mm256_setzero_si256(), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00;
    __m256i c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00;
    for (long g = 0; g < kc / 2; g++) {
        __m256i b0 = _mm256_loadu_si256((const __m256i *)b), b1 = _mm256_loadu_si256((const __m256i *)(b + 16));
        STEP(0) STEP(1) STEP(2) STEP(3) STEP(4) STEP(5)
        a += 2 * MR;
        b += 2 * NR;
    }
    int32_t tile[MR * NR];
    SPILL(0) SPILL(1) SPILL(2) SPILL(3) SPILL(4) SPILL(5)
    finch_int8_store_tile(tile, NR, c, ldc, accumulate, dq, mr, nr);
}
#else
void finch_int8_kernel_avx2(long kc, const void *a, const void *b, int32_t *c, long ldc, int accumulate,
                            const finch_dequant *dq, long mr, long nr) {
    (void)kc; (void)a; (void)b; (void)c; (void)ldc; (void)accumulate; (void)dq; (void)mr; (void)nr;
}
#endif
