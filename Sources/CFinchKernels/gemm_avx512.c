// The AVX-512 GEMM micro-kernel: a 12 × 32 tile of C in 24 zmm accumulators;
// per step of k, two loads of B and twelve broadcasts of A feed 24 FMAs.
#include "gemm_internal.h"

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#include "gemm_avx512_inline.h"

#define AVX512 __attribute__((target("avx512f,avx512vl,avx512dq,avx512bw,avx2,fma")))
#define MR FINCH_AVX512_MR
#define NR FINCH_AVX512_NR

#define STEP(i)                                                 \
    {                                                           \
        __m512 ai = _mm512_set1_ps(a[i]);                       \
        c##i##0 = _mm512_fmadd_ps(ai, b0, c##i##0);             \
        c##i##1 = _mm512_fmadd_ps(ai, b1, c##i##1);             \
    }

#define STORE(i) FINCH_AVX512_STORE_ROW(i)

AVX512 void finch_microkernel_avx512(long kc, const float *a, const float *b, float *c, long ldc, float alpha,
                                     float beta, long mr, long nr) {
    __m512 c00 = _mm512_setzero_ps(), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
    __m512 c40 = c00, c41 = c00, c50 = c00, c51 = c00, c60 = c00, c61 = c00, c70 = c00, c71 = c00;
    __m512 c80 = c00, c81 = c00, c90 = c00, c91 = c00, c100 = c00, c101 = c00, c110 = c00, c111 = c00;
    for (long i = 0; i < mr; i++) {
        _mm_prefetch((const char *)(c + i * ldc), _MM_HINT_T0);
        _mm_prefetch((const char *)(c + i * ldc + 16), _MM_HINT_T0);
    }
    for (long p = 0; p < kc; p++) {
        __m512 b0 = _mm512_loadu_ps(b), b1 = _mm512_loadu_ps(b + 16);
        _mm_prefetch((const char *)(b + 8 * NR), _MM_HINT_T0);
        STEP(0) STEP(1) STEP(2) STEP(3) STEP(4) STEP(5) STEP(6) STEP(7) STEP(8) STEP(9) STEP(10) STEP(11)
        a += MR;
        b += NR;
    }
    __m512 valpha = _mm512_set1_ps(alpha), vbeta = _mm512_set1_ps(beta);
    __mmask16 m0 = nr >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << nr) - 1u);
    __mmask16 m1 = nr >= 32 ? (__mmask16)0xFFFF : nr > 16 ? (__mmask16)((1u << (nr - 16)) - 1u) : (__mmask16)0;
    STORE(0) STORE(1) STORE(2) STORE(3) STORE(4) STORE(5) STORE(6) STORE(7) STORE(8) STORE(9) STORE(10) STORE(11)
}
// Depth contiguous (op(A) not transposed, op(B) transposed): element (r, p) at
// src[r·ld + p] goes to dst[p·width + r] of its micro-panel, 16 rows × 16
// depths at a time through a register transpose (the scalar loop stored one
// float per instruction with a stride of `width`).
AVX512 void finch_pack_along_avx512(const float *src, long ld, long count, long kc, int width, float *dst) {
    __m512i r[16];
    for (long r0 = 0; r0 < count; r0 += width, dst += kc * width) {
        for (long c0 = 0; c0 < width; c0 += 16) {
            long rows = count - r0 - c0 < 16 ? count - r0 - c0 : 16;
            __mmask16 store = finch_lanes(width - c0);
            for (long p0 = 0; p0 < kc; p0 += 16) {
                __mmask16 load = finch_lanes(kc - p0);
                for (long i = 0; i < 16; i++)
                    r[i] = i < rows ? _mm512_castps_si512(_mm512_maskz_loadu_ps(load, src + (r0 + c0 + i) * ld + p0))
                                    : _mm512_setzero_si512();
                finch_transpose16(r);
                long depth = kc - p0 < 16 ? kc - p0 : 16;
                for (long t = 0; t < depth; t++)
                    _mm512_mask_storeu_ps(dst + (p0 + t) * width + c0, store, _mm512_castsi512_ps(r[t]));
            }
        }
    }
}
#else
// Not x86-64: never selected; forwards to the portable kernel's contract.
void finch_microkernel_avx512(long kc, const float *a, const float *b, float *c, long ldc, float alpha, float beta,
                              long mr, long nr) {
    (void)kc; (void)a; (void)b; (void)c; (void)ldc; (void)alpha; (void)beta; (void)mr; (void)nr;
}
void finch_pack_along_avx512(const float *src, long ld, long count, long kc, int width, float *dst) {
    (void)src; (void)ld; (void)count; (void)kc; (void)width; (void)dst;
}
#endif
