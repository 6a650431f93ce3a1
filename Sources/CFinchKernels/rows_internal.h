#ifndef FINCH_ROWS_INTERNAL_H
#define FINCH_ROWS_INTERNAL_H
// The AVX-512 and portable variants of the row kernels (rows_avx512.c, rows_portable.c).
#include <stdint.h>
#define FINCH_DECLARE(name, ...) \
    void name##_portable(__VA_ARGS__); \
    void name##_avx512(__VA_ARGS__);
FINCH_DECLARE(finch_exp, const float *x, float *y, long count)
FINCH_DECLARE(finch_softmax_bias_rows, const float *x, float *y, long rows, long n, const float *bias)
FINCH_DECLARE(finch_log_softmax_rows, const float *x, float *y, long rows, long n)
FINCH_DECLARE(finch_softmax_backward_rows, const float *g, const float *y, float *dx, long rows, long n)
FINCH_DECLARE(finch_log_softmax_backward_rows, const float *g, const float *y, float *dx, long rows, long n)
FINCH_DECLARE(finch_layer_norm_rows, const float *x, const float *w, const float *b, float *y, float *stats,
              long rows, long n, float eps)
FINCH_DECLARE(finch_layer_norm_backward_rows, const float *g, const float *x, const float *w, const float *stats,
              float *dx, long rows, long n)
FINCH_DECLARE(finch_layer_norm_param_grads, const float *g, const float *x, const float *stats, float *dw,
              float *db, long rows, long n)
FINCH_DECLARE(finch_gelu, const float *x, float *y, long count)
FINCH_DECLARE(finch_gelu_backward, const float *g, const float *x, float *dx, long count)
FINCH_DECLARE(finch_adamw, float *p, const float *g, float *m, float *v, float *v_max, long count, float decay,
              float one_minus_beta1, float beta2, float one_minus_beta2, float bias_correction2_sqrt, float epsilon,
              float negative_step_size)
FINCH_DECLARE(finch_dropout, const float *x, float *y, long start, long count, uint64_t key, uint64_t threshold,
              float scale)
#endif
