// Quantization for the int8 GEMM: activations per row (asymmetric u8, at run
// time), weights per output channel (symmetric s8, once). See finch_int8.h.
#include "finch_int8.h"
#include <math.h>

static inline long clamp_long(long v, long lo, long hi) { return v < lo ? lo : v > hi ? hi : v; }

void finch_quantize_rows_u8(long m, long k, const float *x, long ldx, uint8_t *q, long ldq, float *scale,
                            int32_t *zero) {
    for (long i = 0; i < m; i++) {
        const float *row = x + i * ldx;
        float lo = 0.0f, hi = 0.0f;
        for (long p = 0; p < k; p++) {
            lo = row[p] < lo ? row[p] : lo;
            hi = row[p] > hi ? row[p] : hi;
        }
        float s = (hi - lo) / 255.0f;
        long z = 0;
        if (s > 0.0f && isfinite(s)) {
            z = clamp_long(lrintf(-lo / s), 0, 255);
        } else {
            s = 1.0f;
        }
        uint8_t *out = q + i * ldq;
        for (long p = 0; p < k; p++) out[p] = (uint8_t)clamp_long(lrintf(row[p] / s) + z, 0, 255);
        scale[i] = s;
        zero[i] = (int32_t)z;
    }
}

void finch_quantize_weights_s8(long n, long k, const float *w, long ldw, int8_t *q, long ldq, float *scale,
                               int32_t *col_sum) {
    for (long j = 0; j < n; j++) {
        const float *row = w + j * ldw;
        float amax = 0.0f;
        for (long p = 0; p < k; p++) {
            float v = fabsf(row[p]);
            amax = v > amax ? v : amax;
        }
        float s = amax / 127.0f;
        if (!(s > 0.0f) || !isfinite(s)) s = 1.0f;
        int8_t *out = q + j * ldq;
        int32_t sum = 0;
        for (long p = 0; p < k; p++) {
            out[p] = (int8_t)clamp_long(lrintf(row[p] / s), -127, 127);
            sum += out[p];
        }
        scale[j] = s;
        col_sum[j] = sum;
    }
}
