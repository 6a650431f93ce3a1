// The AVX-512 VNNI int8 micro-kernel: a 12 × 32 tile of int32 sums in 24 zmm
// accumulators; per group of four k, two loads of B (16 columns × 4 s8 each)
// and twelve broadcasts of A (4 u8 of one row) feed 24 `vpdpbusd`. The store
// adds the previous partial sums or applies the dequantizing epilogue with
// vector masks for a partial tile.
#include "gemm_int8_internal.h"

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#include <immintrin.h>
#include <string.h>

#define VNNI __attribute__((target("avx512f,avx512vl,avx512dq,avx512bw,avx512vnni,avx2,fma")))
#define MR FINCH_VNNI_MR
#define NR FINCH_VNNI_NR

static inline int32_t load_u32(const uint8_t *p) {
    int32_t v;
    memcpy(&v, p, sizeof v);
    return v;
}

#define STEP(i)                                                 \
    {                                                           \
        __m512i ai = _mm512_set1_epi32(load_u32(a + 4 * (i)));  \
        c##i##0 = _mm512_dpbusd_epi32(c##i##0, ai, b0);         \
        c##i##1 = _mm512_dpbusd_epi32(c##i##1, ai, b1);         \
    }

// Row i: the sums (+ C's partial sums), as int32 or dequantized to floats.
#define STORE(i)                                                                                     \
    if (i < mr) {                                                                                    \
        int32_t *ci = c + (i) * ldc;                                                                 \
        __m512i s0 = c##i##0, s1 = c##i##1;                                                          \
        if (accumulate) {                                                                            \
            s0 = _mm512_add_epi32(s0, _mm512_maskz_loadu_epi32(m0, ci));                             \
            s1 = _mm512_add_epi32(s1, _mm512_maskz_loadu_epi32(m1, ci + 16));                        \
        }                                                                                            \
        if (dq) {                                                                                    \
            __m512i z = _mm512_set1_epi32(dq->row_zero[i]);                                          \
            __m512 rs = _mm512_set1_ps(dq->row_scale[i]);                                            \
            __m512 f0 = _mm512_cvtepi32_ps(_mm512_sub_epi32(s0, _mm512_mullo_epi32(z, sum0)));      \
            __m512 f1 = _mm512_cvtepi32_ps(_mm512_sub_epi32(s1, _mm512_mullo_epi32(z, sum1)));      \
            f0 = _mm512_fmadd_ps(f0, _mm512_mul_ps(rs, scale0), bias0);                              \
            f1 = _mm512_fmadd_ps(f1, _mm512_mul_ps(rs, scale1), bias1);                              \
            _mm512_mask_storeu_ps((float *)ci, m0, f0);                                              \
            _mm512_mask_storeu_ps((float *)ci + 16, m1, f1);                                         \
        } else {                                                                                     \
            _mm512_mask_storeu_epi32(ci, m0, s0);                                                    \
            _mm512_mask_storeu_epi32(ci + 16, m1, s1);                                               \
        }                                                                                            \
    }

VNNI void finch_int8_kernel_vnni(long kc, const void *pa, const void *pb, int32_t *c, long ldc, int accumulate,
                                 const finch_dequant *dq, long mr, long nr) {
    const uint8_t *a = pa;
    const int8_t *b = pb;
    __m512i c00 = _mm512_setzero_si512(), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00;
    __m512i c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00, c60 = c00, c61 = c00, c70 = c00, c71 = c00;
    __m512i c80 = c00, c81 = c00, c90 = c00, c91 = c00, c100 = c00, c101 = c00, c110 = c00, c111 = c00;
    for (long g = 0; g < kc / 4; g++) {
        __m512i b0 = _mm512_loadu_si512((const void *)b), b1 = _mm512_loadu_si512((const void *)(b + 64));
        _mm_prefetch((const char *)(b + 8 * 4 * NR), _MM_HINT_T0);
        STEP(0) STEP(1) STEP(2) STEP(3) STEP(4) STEP(5) STEP(6) STEP(7) STEP(8) STEP(9) STEP(10) STEP(11)
        a += 4 * MR;
        b += 4 * NR;
    }
    __mmask16 m0 = nr >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << nr) - 1u);
    __mmask16 m1 = nr >= 32 ? (__mmask16)0xFFFF : nr > 16 ? (__mmask16)((1u << (nr - 16)) - 1u) : (__mmask16)0;
    __m512i sum0 = _mm512_setzero_si512(), sum1 = sum0;
    __m512 scale0 = _mm512_setzero_ps(), scale1 = scale0, bias0 = scale0, bias1 = scale0;
    if (dq) {
        sum0 = _mm512_maskz_loadu_epi32(m0, dq->col_sum);
        sum1 = _mm512_maskz_loadu_epi32(m1, dq->col_sum + 16);
        scale0 = _mm512_maskz_loadu_ps(m0, dq->col_scale);
        scale1 = _mm512_maskz_loadu_ps(m1, dq->col_scale + 16);
        if (dq->bias) {
            bias0 = _mm512_maskz_loadu_ps(m0, dq->bias);
            bias1 = _mm512_maskz_loadu_ps(m1, dq->bias + 16);
        }
    }
    STORE(0) STORE(1) STORE(2) STORE(3) STORE(4) STORE(5) STORE(6) STORE(7) STORE(8) STORE(9) STORE(10) STORE(11)
}
#else
// Not x86-64: never selected.
void finch_int8_kernel_vnni(long kc, const void *a, const void *b, int32_t *c, long ldc, int accumulate,
                            const finch_dequant *dq, long mr, long nr) {
    (void)kc; (void)a; (void)b; (void)c; (void)ldc; (void)accumulate; (void)dq; (void)mr; (void)nr;
}
#endif
