#ifndef FINCH_GEMM_INTERNAL_H
#define FINCH_GEMM_INTERNAL_H
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
#endif
