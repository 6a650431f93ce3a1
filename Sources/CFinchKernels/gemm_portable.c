// The portable GEMM micro-kernel: a 4 × 16 tile of C in plain C that the
// compiler vectorises for the baseline instruction set.
#include "gemm_internal.h"

#define MR FINCH_PORTABLE_MR
#define NR FINCH_PORTABLE_NR

void finch_microkernel_portable(long kc, const float *a, const float *b, float *c, long ldc, float alpha, float beta,
                                long mr, long nr) {
    float acc[MR][NR] = {{0}};
    for (long p = 0; p < kc; p++, a += MR, b += NR)
        for (int i = 0; i < MR; i++)
            for (int j = 0; j < NR; j++) acc[i][j] += a[i] * b[j];
    for (long i = 0; i < mr; i++) {
        float *ci = c + i * ldc;
        for (long j = 0; j < nr; j++) {
            float r = alpha * acc[i][j];
            ci[j] = beta != 0.0f ? beta * ci[j] + r : r;
        }
    }
}
