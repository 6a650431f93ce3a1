// Run-time choice between the AVX-512 and portable kernels.
// FINCH_DISABLE_AVX512=1 forces the portable path (used by tests to compare both).
#include <stdlib.h>
#include "finch_kernels.h"
#include "kernels_internal.h"

static int cached = -1;

void finch_set_avx512_enabled(int enabled) { cached = enabled ? finch_has_avx512() : 0; }

static int use_avx512(void) {
    if (cached < 0) {
        const char *off = getenv("FINCH_DISABLE_AVX512");
        cached = (off && off[0] == '1') ? 0 : finch_has_avx512();
    }
    return cached;
}

#define DISPATCH(name, args) \
    if (use_avx512()) name##_avx512 args; else name##_portable args;

void finch_exp(const float *x, float *y, long count) { DISPATCH(finch_exp, (x, y, count)) }
void finch_softmax_rows(const float *x, float *y, long rows, long n) { DISPATCH(finch_softmax_rows, (x, y, rows, n)) }
void finch_log_softmax_rows(const float *x, float *y, long rows, long n) { DISPATCH(finch_log_softmax_rows, (x, y, rows, n)) }
void finch_softmax_backward_rows(const float *g, const float *y, float *dx, long rows, long n) {
    DISPATCH(finch_softmax_backward_rows, (g, y, dx, rows, n))
}
void finch_log_softmax_backward_rows(const float *g, const float *y, float *dx, long rows, long n) {
    DISPATCH(finch_log_softmax_backward_rows, (g, y, dx, rows, n))
}
void finch_layer_norm_rows(const float *x, const float *w, const float *b, float *y, float *stats, long rows, long n,
                           float eps) {
    DISPATCH(finch_layer_norm_rows, (x, w, b, y, stats, rows, n, eps))
}
void finch_layer_norm_backward_rows(const float *g, const float *x, const float *w, const float *stats, float *dx,
                                    long rows, long n) {
    DISPATCH(finch_layer_norm_backward_rows, (g, x, w, stats, dx, rows, n))
}
void finch_layer_norm_param_grads(const float *g, const float *x, const float *stats, float *dw, float *db, long rows,
                                  long n) {
    DISPATCH(finch_layer_norm_param_grads, (g, x, stats, dw, db, rows, n))
}
void finch_gelu(const float *x, float *y, long count) { DISPATCH(finch_gelu, (x, y, count)) }
void finch_gelu_backward(const float *g, const float *x, float *dx, long count) {
    DISPATCH(finch_gelu_backward, (g, x, dx, count))
}
