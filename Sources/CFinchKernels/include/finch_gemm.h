#ifndef FINCH_GEMM_H
#define FINCH_GEMM_H
// Finch's own single-precision GEMM: packed panels of A and B, cache blocking
// from the cache sizes read at run time, and a register-blocked micro-kernel
// per instruction set (AVX-512, AVX2+FMA, portable C) chosen by the one
// dispatch level (finch_cpu.h). Matrices are row-major; `trans_a`/`trans_b`
// nonzero means op(X) = Xᵀ. Every call is single-threaded and reentrant:
// callers split C into blocks across their own threads. Each element of C is
// accumulated in the same order whatever block it falls in, so results do
// not depend on how the caller splits the work.

/// C = alpha · op(A) · op(B) + beta · C, with op(A) m×k, op(B) k×n, C m×n.
/// When beta is 0, C is not read (NaN in C does not propagate).
void finch_sgemm(int trans_a, int trans_b, long m, long n, long k, float alpha, const float *a, long lda,
                 const float *b, long ldb, float beta, float *c, long ldc);

/// `finch_sgemm` with the micro-kernel of `level` (FINCH_ISA_*, capped at what
/// the CPU allows) whatever the dispatch level: tests run every kernel with it.
void finch_sgemm_at_level(int level, int trans_a, int trans_b, long m, long n, long k, float alpha, const float *a,
                          long lda, const float *b, long ldb, float beta, float *c, long ldc);

/// `batch` products C_i = alpha · op(A_i) · op(B_i) + beta · C_i, with
/// X_i = x + i · stride_x (a stride of 0 reuses one matrix).
void finch_sgemm_strided_batched(int trans_a, int trans_b, long m, long n, long k, float alpha, const float *a,
                                 long lda, long stride_a, const float *b, long ldb, long stride_b, float beta,
                                 float *c, long ldc, long stride_c, long batch);

/// y = alpha · op(A) · x + beta · y, A m×n row-major with leading dimension
/// lda; op(A) = Aᵀ when `trans` is nonzero. x and y are contiguous. When beta
/// is 0, y is not read.
void finch_sgemv(int trans, long m, long n, float alpha, const float *a, long lda, const float *x, float beta,
                 float *y);

/// The level the GEMM runs now (FINCH_ISA_*), and its micro-kernel as text
/// ("avx512 12x32", "avx2 6x16", "portable 4x16").
int finch_gemm_isa(void);
const char *finch_gemm_kernel_name(void);

/// The cache blocking the GEMM uses now: rows of A per packed block (mc),
/// depth (kc) and columns of B per packed panel (nc).
void finch_gemm_blocking(long *mc, long *kc, long *nc);
/// Benchmarks and tests: sets the blocking (0 keeps the automatic value for
/// that size). Not safe against GEMMs running at the same time.
void finch_gemm_set_blocking(long mc, long kc, long nc);
#endif
