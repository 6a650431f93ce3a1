#ifndef FINCH_ROWS_H
#define FINCH_ROWS_H
#include <stddef.h>
#include <stdint.h>

// Row and elementwise kernels shared by training (FinchTensor) and inference
// (FinchTransformers). Each has a portable C version and an AVX-512 version
// compiled with a function-level target attribute; the entry points pick one
// from the one dispatch level (finch_cpu.h), so no compiler flags are needed.
// Rows are contiguous, `n` elements each; outputs may alias inputs. Callers
// split rows across threads; every function here is single-threaded and reentrant.

/// The level these kernels run now: FINCH_ISA_AVX512 or FINCH_ISA_PORTABLE.
int finch_rows_isa(void);

/// y = exp(x) elementwise (max relative error about 2 ulp).
void finch_exp(const float *x, float *y, long count);

/// Row-wise softmax, max-subtracted. A row of all −inf gives NaN, as PyTorch.
void finch_softmax_rows(const float *x, float *y, long rows, long n);
/// y[r] = softmax(x[r] + bias) (the attention mask as an additive bias of length
/// n, or NULL). Entries far below the row maximum (a −FLT_MAX mask) get weight
/// exactly 0; a row masked everywhere by the same finite bias gets uniform weights.
void finch_softmax_bias_rows(const float *x, float *y, long rows, long n, const float *bias);
/// Row-wise log-softmax, max-subtracted.
void finch_log_softmax_rows(const float *x, float *y, long rows, long n);
/// dx = y ⊙ (g − Σ g⊙y) for softmax output y.
void finch_softmax_backward_rows(const float *g, const float *y, float *dx, long rows, long n);
/// dx = g − exp(y) · Σ g for log-softmax output y.
void finch_log_softmax_backward_rows(const float *g, const float *y, float *dx, long rows, long n);

/// Layer norm over rows with biased variance: y = (x − μ)·rstd·w + b; when
/// `stats` is not NULL, stats[2i] = μ and stats[2i+1] = rstd (for the backward pass).
void finch_layer_norm_rows(const float *x, const float *w, const float *b, float *y, float *stats,
                           long rows, long n, float eps);
/// Input gradient of layer norm for rows (given stats from the forward pass).
void finch_layer_norm_backward_rows(const float *g, const float *x, const float *w, const float *stats,
                                    float *dx, long rows, long n);
/// dw += Σ_rows g·x̂, db += Σ_rows g over rows (accumulates into dw, db).
void finch_layer_norm_param_grads(const float *g, const float *x, const float *stats, float *dw, float *db,
                                  long rows, long n);

/// GELU, erf form: y = ½x(1 + erf(x/√2)) (Abramowitz–Stegun 7.1.26 on AVX-512,
/// |error| ≤ 1.5e-7 as PyTorch's vectorised erf; libm's erff in portable code).
void finch_gelu(const float *x, float *y, long count);
/// dx = g · (Φ(x) + x·φ(x)).
void finch_gelu_backward(const float *g, const float *x, float *dx, long count);

/// Counter-based dropout over elements [start, start + count) of a tensor:
/// y[i] = x[i] · scale when SplitMix64(key + (i+1)·0x9E3779B97F4A7C15) >> 40 is
/// below `threshold`, else 0 (x and y point at element `start`). The mask of an
/// element depends only on its index, so any split across threads gives the
/// same result, and the backward pass recomputes it instead of storing it.
void finch_dropout(const float *x, float *y, long start, long count, uint64_t key, uint64_t threshold, float scale);

/// The AdamW update of `count` elements in place, in PyTorch's operation order
/// (no fused multiply-adds, so every level gives the same bits):
/// m += (1−β₁)(g − m); v = v·β₂ + (1−β₂)·g·g; with `v_max` (amsgrad, else NULL)
/// v̂ = max(v_max, v) stored back, else v̂ = v; p = p·decay + (−lr/(1−β₁ᵗ))·m / (√v̂ / √(1−β₂ᵗ) + ε).
void finch_adamw(float *p, const float *g, float *m, float *v, float *v_max, long count, float decay,
                 float one_minus_beta1, float beta2, float one_minus_beta2, float bias_correction2_sqrt, float epsilon,
                 float negative_step_size);
#endif
