// Matrix–vector product, written once and compiled for AVX-512, AVX2+FMA and
// the baseline (function-level target attributes), chosen by finch_isa().
#include "finch_cpu.h"
#include "finch_gemm.h"

#define LANES 16
#define INLINE static inline __attribute__((always_inline))

INLINE void body_sgemv(int trans, long m, long n, float alpha, const float *a, long lda, const float *x, float beta,
                       float *y) {
    if (!trans) {  // y[i] = alpha · A[i,:]·x + beta · y[i], lane accumulators so the dot vectorises
        for (long i = 0; i < m; i++) {
            const float *ai = a + i * lda;
            float acc[LANES] = {0};
            long j = 0;
            for (; j + LANES <= n; j += LANES)
                for (int l = 0; l < LANES; l++) acc[l] += ai[j + l] * x[j + l];
            float s = 0;
            for (int l = 0; l < LANES; l++) s += acc[l];
            for (; j < n; j++) s += ai[j] * x[j];
            y[i] = beta != 0.0f ? alpha * s + beta * y[i] : alpha * s;
        }
    } else {  // y[j] = alpha · Σ_i A[i][j] x[i] + beta · y[j], one row of A at a time
        for (long j = 0; j < n; j++) y[j] = beta != 0.0f ? beta * y[j] : 0.0f;
        for (long i = 0; i < m; i++) {
            const float *ai = a + i * lda;
            float s = alpha * x[i];
            for (long j = 0; j < n; j++) y[j] += s * ai[j];
        }
    }
}

#if defined(__x86_64__)
__attribute__((target("avx512f,avx512vl,avx512dq,avx512bw,avx2,fma"))) static void sgemv_avx512(
    int t, long m, long n, float alpha, const float *a, long lda, const float *x, float beta, float *y) {
    body_sgemv(t, m, n, alpha, a, lda, x, beta, y);
}
__attribute__((target("avx2,fma"))) static void sgemv_avx2(int t, long m, long n, float alpha, const float *a,
                                                           long lda, const float *x, float beta, float *y) {
    body_sgemv(t, m, n, alpha, a, lda, x, beta, y);
}
#endif

static void sgemv_portable(int t, long m, long n, float alpha, const float *a, long lda, const float *x, float beta,
                           float *y) {
    body_sgemv(t, m, n, alpha, a, lda, x, beta, y);
}

void finch_sgemv(int trans, long m, long n, float alpha, const float *a, long lda, const float *x, float beta,
                 float *y) {
#if defined(__x86_64__)
    switch (finch_isa()) {
    case FINCH_ISA_AVX512: sgemv_avx512(trans, m, n, alpha, a, lda, x, beta, y); return;
    case FINCH_ISA_AVX2: sgemv_avx2(trans, m, n, alpha, a, lda, x, beta, y); return;
    default: break;
    }
#endif
    sgemv_portable(trans, m, n, alpha, a, lda, x, beta, y);
}
