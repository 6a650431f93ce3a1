#ifndef FINCH_BF16_H
#define FINCH_BF16_H
// Mixed-precision GEMM for training, as PyTorch's CPU autocast: the operands
// are rounded to bfloat16 (round to nearest even, denormals to zero, as the
// CPU's own conversion) and their products summed in fp32. Inputs and output
// stay fp32 arrays; the rounding happens while the operands are packed. On a
// CPU with AVX512_BF16 the micro-kernel multiplies pairs of bf16 values with
// `vdpbf16ps` (twice the products per instruction of an fp32 FMA); elsewhere
// the rounded operands go through the fp32 GEMM (the same values up to the
// order of the fp32 sums, and no faster than fp32).

/// The bfloat16 nearest to `x` (ties to even), returned as the fp32 value it
/// stands for. Denormals become signed zero; NaN stays NaN.
float finch_bf16_round(float x);

/// C = alpha · bf16(op(A)) · bf16(op(B)) + beta · C with op, shapes and
/// leading dimensions as `finch_sgemm`. Single-threaded and reentrant; each
/// element of C is summed in the same order whatever block of C a caller
/// computes, so results do not depend on how the work is split.
void finch_sbgemm(int trans_a, int trans_b, long m, long n, long k, float alpha, const float *a, long lda,
                  const float *b, long ldb, float beta, float *c, long ldc);

/// Tests: `finch_sbgemm` on the bf16 instructions (`native` 1, where the CPU
/// has them) or on the fp32 GEMM with rounded operands (`native` 0).
void finch_sbgemm_variant(int native, int trans_a, int trans_b, long m, long n, long k, float alpha, const float *a,
                          long lda, const float *b, long ldb, float beta, float *c, long ldc);

/// 1 when `finch_sbgemm` runs on bf16 instructions here (AVX512_BF16 and the
/// AVX-512 level in force), 0 when it rounds operands for the fp32 GEMM.
int finch_bf16_native(void);

/// The micro-kernel `finch_sbgemm` runs: "avx512bf16 12x32" or "emulated".
const char *finch_bf16_kernel_name(void);
#endif
