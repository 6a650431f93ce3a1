#ifndef FINCH_ACTIVATIONS_H
#define FINCH_ACTIVATIONS_H
// In-place activations and bias fills of the BERT inference path, on
// row-major float32 rows of length `n`. Each has an AVX-512, an AVX2+FMA and a
// portable variant, chosen by the one dispatch level (finch_cpu.h). GELU (erf
// form), layer norm and softmax are in finch_rows.h.

/// The level these kernels run now (FINCH_ISA_*).
int finch_activations_isa(void);

/// y[r] = (x ? x[r] : 0) + bias for `rows` rows (the residual-plus-bias
/// initialisation of a GEMM output accumulated with beta = 1).
void finch_fill_rows(float *y, const float *x, const float *bias, long rows, long n);

/// x = ½x(1 + tanh(√(2/π)(x + 0.044715x³))).
void finch_gelu_tanh(float *x, long count);
/// x = max(x, 0).
void finch_relu(float *x, long count);
/// x = x · σ(x).
void finch_silu(float *x, long count);
/// x = tanh(x).
void finch_tanh(float *x, long count);
/// y[r][j] = act(y[r][j] + bias[j]) for `rows` rows of length n;
/// act: 0 identity, 1 GELU (erf, finch_gelu), 2 GELU (tanh), 3 ReLU, 4 SiLU.
void finch_bias_activation(float *y, long rows, long n, const float *bias, int act);
#endif
