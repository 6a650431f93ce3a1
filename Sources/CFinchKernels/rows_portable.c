// Portable versions of the kernels (any CPU). Also the reference the AVX-512
// versions are tested against.
#include <math.h>
#include "rows_internal.h"

void finch_exp_portable(const float *x, float *y, long count) {
    for (long i = 0; i < count; i++) y[i] = expf(x[i]);
}

static float row_max(const float *x, long n) {
    float m = -INFINITY;
    for (long j = 0; j < n; j++) m = x[j] > m ? x[j] : m;
    return m;
}

void finch_softmax_bias_rows_portable(const float *x, float *y, long rows, long n, const float *bias) {
    for (long i = 0; i < rows; i++, x += n, y += n) {
        const float *v = x;  // the row, with the bias added in y when there is one
        if (bias) {
            for (long j = 0; j < n; j++) y[j] = x[j] + bias[j];
            v = y;
        }
        float m = row_max(v, n), s = 0;
        for (long j = 0; j < n; j++) { y[j] = expf(v[j] - m); s += y[j]; }
        float inv = 1.0f / s;
        for (long j = 0; j < n; j++) y[j] *= inv;
    }
}

void finch_log_softmax_rows_portable(const float *x, float *y, long rows, long n) {
    for (long i = 0; i < rows; i++, x += n, y += n) {
        float m = row_max(x, n), s = 0;
        for (long j = 0; j < n; j++) s += expf(x[j] - m);
        float lse = m + logf(s);
        for (long j = 0; j < n; j++) y[j] = x[j] - lse;
    }
}

void finch_softmax_backward_rows_portable(const float *g, const float *y, float *dx, long rows, long n) {
    for (long i = 0; i < rows; i++, g += n, y += n, dx += n) {
        float dot = 0;
        for (long j = 0; j < n; j++) dot += g[j] * y[j];
        for (long j = 0; j < n; j++) dx[j] = y[j] * (g[j] - dot);
    }
}

void finch_log_softmax_backward_rows_portable(const float *g, const float *y, float *dx, long rows, long n) {
    for (long i = 0; i < rows; i++, g += n, y += n, dx += n) {
        float s = 0;
        for (long j = 0; j < n; j++) s += g[j];
        for (long j = 0; j < n; j++) dx[j] = g[j] - expf(y[j]) * s;
    }
}

void finch_layer_norm_rows_portable(const float *x, const float *w, const float *b, float *y, float *stats,
                                    long rows, long n, float eps) {
    for (long i = 0; i < rows; i++, x += n, y += n) {
        float mean = 0, var = 0;
        for (long j = 0; j < n; j++) mean += x[j];
        mean /= (float)n;
        for (long j = 0; j < n; j++) { float d = x[j] - mean; var += d * d; }
        float rstd = 1.0f / sqrtf(var / (float)n + eps);
        if (stats) {
            stats[2 * i] = mean;
            stats[2 * i + 1] = rstd;
        }
        for (long j = 0; j < n; j++) y[j] = (x[j] - mean) * rstd * w[j] + b[j];
    }
}

void finch_layer_norm_backward_rows_portable(const float *g, const float *x, const float *w, const float *stats,
                                             float *dx, long rows, long n) {
    for (long i = 0; i < rows; i++, g += n, x += n, dx += n) {
        float mean = stats[2 * i], rstd = stats[2 * i + 1], sg = 0, sgx = 0;
        for (long j = 0; j < n; j++) {
            float gh = g[j] * w[j];
            sg += gh;
            sgx += gh * (x[j] - mean) * rstd;
        }
        sg /= (float)n;
        sgx /= (float)n;
        for (long j = 0; j < n; j++) dx[j] = rstd * (g[j] * w[j] - sg - (x[j] - mean) * rstd * sgx);
    }
}

void finch_layer_norm_param_grads_portable(const float *g, const float *x, const float *stats, float *dw, float *db,
                                           long rows, long n) {
    for (long i = 0; i < rows; i++, g += n, x += n) {
        float mean = stats[2 * i], rstd = stats[2 * i + 1];
        for (long j = 0; j < n; j++) {
            dw[j] += g[j] * (x[j] - mean) * rstd;
            db[j] += g[j];
        }
    }
}

void finch_gelu_portable(const float *x, float *y, long count) {
    for (long i = 0; i < count; i++) y[i] = 0.5f * x[i] * (1.0f + erff(x[i] * 0.70710678118654752f));
}

void finch_gelu_backward_portable(const float *g, const float *x, float *dx, long count) {
    for (long i = 0; i < count; i++) {
        float v = x[i];
        float cdf = 0.5f * (1.0f + erff(v * 0.70710678118654752f));
        float pdf = 0.39894228040143268f * expf(-0.5f * v * v);
        dx[i] = g[i] * (cdf + v * pdf);
    }
}

void finch_dropout_portable(const float *x, float *y, long start, long count, uint64_t key, uint64_t threshold,
                            float scale) {
    for (long j = 0; j < count; j++) {
        uint64_t z = key + (uint64_t)(start + j + 1) * 0x9E3779B97F4A7C15ull;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        y[j] = ((z ^ (z >> 31)) >> 40) < threshold ? x[j] * scale : 0.0f;
    }
}

void finch_adamw_portable(float *p, const float *g, float *m, float *v, float *v_max, long count, float decay,
                          float omb1, float beta2, float omb2, float bc2, float eps, float step) {
#pragma clang fp contract(off)
    for (long i = 0; i < count; i++) {
        float gi = g[i];
        float mi = m[i] + omb1 * (gi - m[i]);
        float vi = v[i] * beta2 + omb2 * gi * gi;
        m[i] = mi;
        v[i] = vi;
        if (v_max) {
            float top = vi > v_max[i] || vi != vi ? vi : v_max[i];
            v_max[i] = top;
            vi = top;
        }
        p[i] = p[i] * decay + step * mi / (sqrtf(vi) / bc2 + eps);
    }
}
