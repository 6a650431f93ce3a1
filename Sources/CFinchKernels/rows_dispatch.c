// Run-time choice between the AVX-512 and portable row kernels, from the one
// dispatch level (finch_isa). Below AVX-512 these run the portable code.
#include "finch_cpu.h"
#include "finch_rows.h"
#include "rows_internal.h"

int finch_rows_isa(void) { return finch_isa() >= FINCH_ISA_AVX512 ? FINCH_ISA_AVX512 : FINCH_ISA_PORTABLE; }

#define DISPATCH(name, args) \
    if (finch_rows_isa() == FINCH_ISA_AVX512) name##_avx512 args; else name##_portable args;

void finch_exp(const float *x, float *y, long count) { DISPATCH(finch_exp, (x, y, count)) }
void finch_softmax_rows(const float *x, float *y, long rows, long n) {
    DISPATCH(finch_softmax_bias_rows, (x, y, rows, n, 0))
}
void finch_softmax_bias_rows(const float *x, float *y, long rows, long n, const float *bias) {
    DISPATCH(finch_softmax_bias_rows, (x, y, rows, n, bias))
}
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
void finch_dropout(const float *x, float *y, long start, long count, uint64_t key, uint64_t threshold, float scale) {
    DISPATCH(finch_dropout, (x, y, start, count, key, threshold, scale))
}
void finch_adamw(float *p, const float *g, float *m, float *v, float *v_max, long count, float decay, float omb1,
                 float beta2, float omb2, float bc2, float eps, float step) {
    DISPATCH(finch_adamw, (p, g, m, v, v_max, count, decay, omb1, beta2, omb2, bc2, eps, step))
}
