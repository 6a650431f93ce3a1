// The bf16 GEMM on AVX512_BF16: packing that rounds fp32 to bf16 pairs with
// `vcvtne2ps2bf16`, and a 12 × 32 micro-kernel of 24 zmm accumulators fed by
// `vdpbf16ps` (32 products per instruction, twice an fp32 FMA's 16).
#include "gemm_bf16_internal.h"
#include "gemm_internal.h"

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#include "gemm_avx512_inline.h"
#include <string.h>

#define BF16 __attribute__((target("avx512f,avx512vl,avx512dq,avx512bw,avx512bf16,avx2,fma")))
#define MR FINCH_BF16_MR
#define NR FINCH_BF16_NR


// Depth contiguous: 16 indices at a time, 16 pairs (32 values) of each rounded
// into one register, then transposed so each register holds one pair group.
BF16 void finch_bf16_pack_along_avx512(const float *src, long ld, long count, long kc, int width, uint32_t *dst) {
    long kc2 = (kc + 1) / 2;
    __m512i r[16];
    for (long r0 = 0; r0 < count; r0 += width, dst += kc2 * width) {
        for (long c0 = 0; c0 < width; c0 += 16) {
            long rows = count - r0 - c0, lanes_out = width - c0;
            if (rows > 16) rows = 16;
            if (lanes_out > 16) lanes_out = 16;
            __mmask16 store = finch_lanes(lanes_out);
            for (long q0 = 0; q0 < kc2; q0 += 16) {
                long p = 2 * q0;
                __mmask16 lo_mask = finch_lanes(kc - p), hi_mask = finch_lanes(kc - p - 16);
                for (long i = 0; i < 16; i++) {
                    if (i < rows) {
                        const float *row = src + (r0 + c0 + i) * ld + p;
                        __m512 lo = _mm512_maskz_loadu_ps(lo_mask, row), hi = _mm512_maskz_loadu_ps(hi_mask, row + 16);
                        r[i] = (__m512i)_mm512_cvtne2ps_pbh(hi, lo);  // words = pairs q0 … q0+15
                    } else {
                        r[i] = _mm512_setzero_si512();
                    }
                }
                finch_transpose16(r);
                long pairs = kc2 - q0 < 16 ? kc2 - q0 : 16;
                for (long t = 0; t < pairs; t++) _mm512_mask_storeu_epi32(dst + (q0 + t) * width + c0, store, r[t]);
            }
        }
    }
}

BF16 void finch_bf16_pack_across_avx512(const float *src, long ld, long count, long kc, int width, uint32_t *dst) {
    long kc2 = (kc + 1) / 2;
    // Interleaves bf16 lanes 0–15 (depth 2q) with 16–31 (depth 2q+1) into pairs.
    const __m512i interleave = _mm512_set_epi16(31, 15, 30, 14, 29, 13, 28, 12, 27, 11, 26, 10, 25, 9, 24, 8, 23, 7,
                                                22, 6, 21, 5, 20, 4, 19, 3, 18, 2, 17, 1, 16, 0);
    for (long r0 = 0; r0 < count; r0 += width, dst += kc2 * width) {
        for (long q = 0; q < kc2; q++) {
            const float *even = src + (2 * q) * ld + r0, *odd = even + ld;
            int has_odd = 2 * q + 1 < kc;
            for (long c0 = 0; c0 < width; c0 += 16) {
                __mmask16 load = finch_lanes(count - r0 - c0 < width - c0 ? count - r0 - c0 : width - c0);
                __m512 x0 = _mm512_maskz_loadu_ps(load, even + c0);
                __m512 x1 = has_odd ? _mm512_maskz_loadu_ps(load, odd + c0) : _mm512_setzero_ps();
                __m512i v = _mm512_permutexvar_epi16(interleave, (__m512i)_mm512_cvtne2ps_pbh(x1, x0));
                _mm512_mask_storeu_epi32(dst + q * width + c0, finch_lanes(width - c0), v);
            }
        }
    }
}

#define STEP(i)                                                                   \
    {                                                                             \
        __m512bh ai = (__m512bh)_mm512_set1_epi32((int)a[i]);                     \
        c##i##0 = _mm512_dpbf16_ps(c##i##0, ai, b0);                              \
        c##i##1 = _mm512_dpbf16_ps(c##i##1, ai, b1);                              \
    }

#define STORE(i) FINCH_AVX512_STORE_ROW(i)

BF16 void finch_bf16_microkernel_avx512(long kc2, const uint32_t *a, const uint32_t *b, float *c, long ldc,
                                        float alpha, float beta, long mr, long nr) {
    __m512 c00 = _mm512_setzero_ps(), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
    __m512 c40 = c00, c41 = c00, c50 = c00, c51 = c00, c60 = c00, c61 = c00, c70 = c00, c71 = c00;
    __m512 c80 = c00, c81 = c00, c90 = c00, c91 = c00, c100 = c00, c101 = c00, c110 = c00, c111 = c00;
    for (long i = 0; i < mr; i++) {
        _mm_prefetch((const char *)(c + i * ldc), _MM_HINT_T0);
        _mm_prefetch((const char *)(c + i * ldc + 16), _MM_HINT_T0);
    }
    for (long q = 0; q < kc2; q++) {
        __m512bh b0 = (__m512bh)_mm512_loadu_si512(b), b1 = (__m512bh)_mm512_loadu_si512(b + 16);
        _mm_prefetch((const char *)(b + 8 * NR), _MM_HINT_T0);
        STEP(0) STEP(1) STEP(2) STEP(3) STEP(4) STEP(5) STEP(6) STEP(7) STEP(8) STEP(9) STEP(10) STEP(11)
        a += MR;
        b += NR;
    }
    __m512 valpha = _mm512_set1_ps(alpha), vbeta = _mm512_set1_ps(beta);
    __mmask16 m0 = finch_lanes(nr), m1 = finch_lanes(nr - 16);
    STORE(0) STORE(1) STORE(2) STORE(3) STORE(4) STORE(5) STORE(6) STORE(7) STORE(8) STORE(9) STORE(10) STORE(11)
}
#else
// Not x86-64: never selected (finch_bf16_native() is 0).
void finch_bf16_pack_along_avx512(const float *src, long ld, long count, long kc, int width, uint32_t *dst) {
    (void)src; (void)ld; (void)count; (void)kc; (void)width; (void)dst;
}
void finch_bf16_pack_across_avx512(const float *src, long ld, long count, long kc, int width, uint32_t *dst) {
    (void)src; (void)ld; (void)count; (void)kc; (void)width; (void)dst;
}
void finch_bf16_microkernel_avx512(long kc2, const uint32_t *a, const uint32_t *b, float *c, long ldc, float alpha,
                                   float beta, long mr, long nr) {
    (void)kc2; (void)a; (void)b; (void)c; (void)ldc; (void)alpha; (void)beta; (void)mr; (void)nr;
}
#endif
