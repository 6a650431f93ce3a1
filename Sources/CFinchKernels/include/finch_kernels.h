#ifndef FINCH_KERNELS_H
#define FINCH_KERNELS_H
#include <stddef.h>

// Row and elementwise kernels for FinchTensor. Each has a portable C version
// and an AVX-512 version compiled with a function-level target attribute; the
// entry points pick one at run time (finch_has_avx512), so no compiler flags
// are needed. Rows are contiguous, `n` elements each. Callers split rows across
// threads; every function here is single-threaded and reentrant.

/// Returns 1 when the CPU supports AVX-512F (checked once at run time).
int finch_has_avx512(void);

/// Turns the AVX-512 kernels off (0) or back on where the CPU has them (1).
/// For tests that compare both paths; not thread-safe against running kernels.
void finch_set_avx512_enabled(int enabled);

/// y = exp(x) elementwise (max relative error about 2 ulp).
void finch_exp(const float *x, float *y, long count);

/// Row-wise softmax / log-softmax, max-subtracted. A row of all −inf gives NaN, as PyTorch.
void finch_softmax_rows(const float *x, float *y, long rows, long n);
void finch_log_softmax_rows(const float *x, float *y, long rows, long n);
/// dx = y ⊙ (g − Σ g⊙y) for softmax output y.
void finch_softmax_backward_rows(const float *g, const float *y, float *dx, long rows, long n);
/// dx = g − exp(y) · Σ g for log-softmax output y.
void finch_log_softmax_backward_rows(const float *g, const float *y, float *dx, long rows, long n);

/// Layer norm over rows: y = (x − μ)·rstd·w + b, stats[2i] = μ, stats[2i+1] = rstd.
void finch_layer_norm_rows(const float *x, const float *w, const float *b, float *y, float *stats,
                           long rows, long n, float eps);
/// Input gradient of layer norm for rows (given stats from the forward pass).
void finch_layer_norm_backward_rows(const float *g, const float *x, const float *w, const float *stats,
                                    float *dx, long rows, long n);
/// dw += Σ_rows g·x̂, db += Σ_rows g over rows (accumulates into dw, db).
void finch_layer_norm_param_grads(const float *g, const float *x, const float *stats, float *dw, float *db,
                                  long rows, long n);

/// GELU, exact erf form: y = ½x(1 + erf(x/√2)).
void finch_gelu(const float *x, float *y, long count);
/// dx = g · (Φ(x) + x·φ(x)).
void finch_gelu_backward(const float *g, const float *x, float *dx, long count);
#endif
