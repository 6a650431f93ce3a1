#ifndef FINCH_BERT_KERNELS_H
#define FINCH_BERT_KERNELS_H
/// Row kernels of the BERT inference path. Every function works on
/// row-major float32 rows of length `n`, in place where the output pointer
/// equals the input. Each has an AVX-512, an AVX2+FMA and a portable
/// variant; the first call picks the widest the CPU supports.

/// y[r] = LayerNorm(x[r]) · w + b, biased variance, for `rows` rows. y may be x.
void fbk_layer_norm(const float *x, float *y, long rows, long n, const float *w, const float *b, float eps);

/// y[r] = (x ? x[r] : 0) + bias for `rows` rows (the residual-plus-bias
/// initialisation of a GEMM output accumulated with beta = 1).
void fbk_fill_rows(float *y, const float *x, const float *bias, long rows, long n);

/// x = x · Φ(x), Φ through erf (Abramowitz–Stegun 7.1.26, |error| ≤ 1.5e-7, as PyTorch's vectorized erf).
void fbk_gelu_erf(float *x, long count);
/// x = ½x(1 + tanh(√(2/π)(x + 0.044715x³))).
void fbk_gelu_tanh(float *x, long count);
/// x = max(x, 0).
void fbk_relu(float *x, long count);
/// x = x · σ(x).
void fbk_silu(float *x, long count);
/// x = tanh(x).
void fbk_tanh(float *x, long count);
/// y[r][j] = act(y[r][j] + bias[j]) for `rows` rows of length n, one pass;
/// act: 0 identity, 1 GELU (erf), 2 GELU (tanh), 3 ReLU, 4 SiLU.
void fbk_bias_activation(float *y, long rows, long n, const float *bias, int act);

/// s[r] = softmax(s[r] + bias) for `rows` rows; `bias` (length n) may be NULL.
/// Entries at or below -1e30 after adding the bias get weight exactly 0.
void fbk_softmax_rows(float *s, long rows, long n, const float *bias);

/// Which variant runs: 2 AVX-512, 1 AVX2+FMA, 0 portable.
int fbk_variant(void);
/// Tests only: runs `variant` (capped at what the CPU supports) from now on;
/// -1 returns to automatic choice. Returns the variant now in force.
int fbk_force_variant(int variant);
#endif
