#ifndef FINCH_INT8_H
#define FINCH_INT8_H
// Finch's int8 GEMM for quantized inference: unsigned 8-bit activations times
// signed 8-bit weights, summed exactly in 32-bit integers, with the GEMM's
// structure (packed panels, cache blocking from the cache sizes, one
// register-blocked micro-kernel per instruction set) and its CPU dispatch.
// Three micro-kernels: AVX-512 VNNI (`vpdpbusd`, 12 × 32), AVX2 (`vpmaddwd`
// on widened values, 6 × 16) and portable C (4 × 16). FINCH_DISABLE_VNNI=1
// (and FINCH_DISABLE_AVX512=1) keep the VNNI kernel off.
//
// The product is Linear's: C = A · Bᵀ with A the activations (m × k, row-major)
// and B the weights (n × k, row-major: one output channel per row). Every
// call is single-threaded and reentrant; callers split C across threads.
// Sums are exact for k ≤ 65536 (255 · 128 · 65536 < 2³¹).
#include <stdint.h>

/// The int8 kernel level in force (FINCH_ISA_*): FINCH_ISA_AVX512 means the
/// AVX-512 VNNI kernel, which needs the dispatch level AVX-512, the CPU's
/// VNNI flag and FINCH_DISABLE_VNNI unset.
int finch_int8_isa(void);
/// The int8 micro-kernel in use as text ("avx512-vnni 12x32", "avx2 6x16",
/// "portable 4x16").
const char *finch_int8_kernel_name(void);
/// 1 when FINCH_DISABLE_VNNI=1 was in the environment at the last read
/// (finch_reload_environment reads it again).
int finch_vnni_disabled_by_environment(void);

/// How the exact integer product becomes floats (the dequantizing epilogue):
/// out[i][j] = row_scale[i] · col_scale[j] · (C[i][j] − row_zero[i] · col_sum[j])
///             + bias[j]   (no bias when `bias` is NULL).
/// With activations quantized as a ≈ row_scale · (q − row_zero) and weights
/// as w ≈ col_scale · q, this is the float product of the dequantized values.
typedef struct {
    const float *row_scale;   ///< m activation scales
    const int32_t *row_zero;  ///< m activation zero points
    const float *col_scale;   ///< n weight scales (one per output channel)
    const int32_t *col_sum;   ///< n sums of each output channel's quantized weights
    const float *bias;        ///< n biases, or NULL
} finch_dequant;

/// C (int32, m × n, leading dimension ldc) = A · Bᵀ exactly, A u8 m × k
/// (lda), B s8 n × k (ldb).
void finch_gemm_u8s8s32(long m, long n, long k, const uint8_t *a, long lda, const int8_t *b, long ldb, int32_t *c,
                        long ldc);
/// The same with the micro-kernel of `level` (capped at what the CPU allows,
/// the VNNI one only where the CPU has VNNI): tests run every kernel with it.
void finch_gemm_u8s8s32_at_level(int level, long m, long n, long k, const uint8_t *a, long lda, const int8_t *b,
                                 long ldb, int32_t *c, long ldc);

/// out (float, m × n, leading dimension ldo) = the dequantized A · Bᵀ (see
/// finch_dequant), the epilogue applied to each tile once its sum is complete.
void finch_gemm_u8s8_dequant(long m, long n, long k, const uint8_t *a, long lda, const int8_t *b, long ldb,
                             const finch_dequant *dq, float *out, long ldo);
/// `finch_gemm_u8s8_dequant` with the micro-kernel of `level` (as above).
void finch_gemm_u8s8_dequant_at_level(int level, long m, long n, long k, const uint8_t *a, long lda, const int8_t *b,
                                      long ldb, const finch_dequant *dq, float *out, long ldo);

/// Dynamic per-row quantization of activations (asymmetric, as ONNX Runtime's
/// dynamic quantization): for each row of x (m × k, ldx) with range
/// [lo, hi] = [min(0, min x), max(0, max x)], scale = (hi − lo) / 255 (1 when
/// the row is all zeros), zero = round(−lo / scale) in [0, 255], and
/// q = clamp(round(x / scale) + zero, 0, 255), so that x ≈ scale · (q − zero)
/// within scale / 2.
void finch_quantize_rows_u8(long m, long k, const float *x, long ldx, uint8_t *q, long ldq, float *scale,
                            int32_t *zero);

/// Symmetric per-output-channel quantization of weights: for each row j of w
/// (n × k, ldw), scale = max|w_j| / 127 (1 when the row is all zeros),
/// q = clamp(round(w / scale), −127, 127), and col_sum[j] = Σ q (what the
/// dequantizing epilogue needs), so that w ≈ scale · q within scale / 2.
void finch_quantize_weights_s8(long n, long k, const float *w, long ldw, int8_t *q, long ldq, float *scale,
                               int32_t *col_sum);
#endif
