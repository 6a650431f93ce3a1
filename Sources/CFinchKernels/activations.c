// Activations and bias fills of the inference path. Each kernel body is written once as an
// always-inline function and instantiated under three target attributes, so
// the compiler vectorises it for AVX-512, AVX2+FMA and the baseline; the one
// dispatch level (finch_isa) picks the variant (no global compiler flags, so
// the package needs no unsafe settings). GELU in its erf form, layer norm and
// softmax are the row kernels of finch_rows.h, shared with training.
#include "finch_activations.h"
#include "finch_cpu.h"
#include "finch_rows.h"
#include <math.h>
#include <stdint.h>
#include <string.h>

#define LANES 16
#define INLINE static inline __attribute__((always_inline))

INLINE float act_bits_to_float(uint32_t u) { float f; memcpy(&f, &u, 4); return f; }
INLINE uint32_t act_float_to_bits(float f) { uint32_t u; memcpy(&u, &f, 4); return u; }

/// e^x for x ≤ 88 (Cephes expf polynomial after range reduction by ln 2);
/// returns 0 below -87.3 so masked scores vanish exactly.
INLINE float act_exp(float x) {
    float xc = x < -87.3f ? -87.3f : (x > 88.0f ? 88.0f : x);
    float t = xc * 1.44269504088896341f + 12582912.0f;  // round(x / ln 2) in the low mantissa bits
    uint32_t ni = act_float_to_bits(t) - 0x4B400000u;
    float n = t - 12582912.0f;
    float r = xc - n * 0.693359375f + n * 2.12194440e-4f;
    float p = 1.9875691500e-4f;
    p = p * r + 1.3981999507e-3f;
    p = p * r + 8.3334519073e-3f;
    p = p * r + 4.1665795894e-2f;
    p = p * r + 1.6666665459e-1f;
    p = p * r + 5.0000001201e-1f;
    float e = p * r * r + r + 1.0f;
    float scale = act_bits_to_float((ni + 127u) << 23);
    return x < -87.3f ? 0.0f : e * scale;
}

INLINE void body_fill_rows(float *y, const float *x, const float *bias, long rows, long n) {
    for (long r = 0; r < rows; r++) {
        float *yr = y + r * n;
        if (x) {
            const float *xr = x + r * n;
            for (long j = 0; j < n; j++) yr[j] = xr[j] + bias[j];
        } else {
            for (long j = 0; j < n; j++) yr[j] = bias[j];
        }
    }
}

/// tanh(u) = 1 − 2 / (e^{2u} + 1), saturating for large |u|.
INLINE float act_tanh_one(float u) {
    float uc = u > 9.0f ? 9.0f : (u < -9.0f ? -9.0f : u);
    return 1.0f - 2.0f / (act_exp(2.0f * uc) + 1.0f);
}

INLINE float act_gelu_tanh_one(float v) {
    float u = 0.7978845608028654f * (v + 0.044715f * v * v * v);
    return 0.5f * v * (1.0f + act_tanh_one(u));
}

INLINE float act_silu_one(float v) {
    float vc = v < -87.0f ? -87.0f : v;
    return v / (1.0f + act_exp(-vc));
}

INLINE void body_gelu_tanh(float *x, long count) {
    for (long i = 0; i < count; i++) x[i] = act_gelu_tanh_one(x[i]);
}

INLINE void body_relu(float *x, long count) {
    for (long i = 0; i < count; i++) x[i] = x[i] > 0 ? x[i] : 0;
}

INLINE void body_silu(float *x, long count) {
    for (long i = 0; i < count; i++) x[i] = act_silu_one(x[i]);
}

INLINE void body_bias_activation(float *y, long rows, long n, const float *bias, int act) {
    for (long r = 0; r < rows; r++) {
        float *row = y + r * n;
        switch (act) {
        case 1:  // the one GELU (erf) kernel of finch_rows.h, after the bias
            for (long j = 0; j < n; j++) row[j] += bias[j];
            finch_gelu(row, row, n);
            break;
        case 2: for (long j = 0; j < n; j++) row[j] = act_gelu_tanh_one(row[j] + bias[j]); break;
        case 3: for (long j = 0; j < n; j++) { float v = row[j] + bias[j]; row[j] = v > 0 ? v : 0; } break;
        case 4: for (long j = 0; j < n; j++) row[j] = act_silu_one(row[j] + bias[j]); break;
        default: for (long j = 0; j < n; j++) row[j] += bias[j]; break;
        }
    }
}

INLINE void body_tanh(float *x, long count) {
    for (long i = 0; i < count; i++) x[i] = act_tanh_one(x[i]);
}

#define AVX512 __attribute__((target("avx512f,avx512vl,avx512dq,avx512bw,avx2,fma")))
#define AVX2 __attribute__((target("avx2,fma")))

#if defined(__x86_64__)
#define INSTANTIATE(name, params, args)                         \
    AVX512 static void name##_avx512 params { body_##name args; } \
    AVX2 static void name##_avx2 params { body_##name args; }     \
    static void name##_base params { body_##name args; }
#else
#define INSTANTIATE(name, params, args) static void name##_base params { body_##name args; }
#endif

INSTANTIATE(fill_rows, (float *y, const float *x, const float *bias, long rows, long n), (y, x, bias, rows, n))
INSTANTIATE(gelu_tanh, (float *x, long count), (x, count))
INSTANTIATE(relu, (float *x, long count), (x, count))
INSTANTIATE(silu, (float *x, long count), (x, count))
INSTANTIATE(tanh, (float *x, long count), (x, count))
INSTANTIATE(bias_activation, (float *y, long rows, long n, const float *bias, int act), (y, rows, n, bias, act))

int finch_activations_isa(void) { return finch_isa(); }

#if defined(__x86_64__)
#define DISPATCH(name, params, args)                         \
    void finch_##name params {                                 \
        switch (finch_activations_isa()) {                             \
        case FINCH_ISA_AVX512: name##_avx512 args; return;                  \
        case FINCH_ISA_AVX2: name##_avx2 args; return;                    \
        default: name##_base args; return;                   \
        }                                                    \
    }
#else
#define DISPATCH(name, params, args) void finch_##name params { name##_base args; }
#endif

DISPATCH(fill_rows, (float *y, const float *x, const float *bias, long rows, long n), (y, x, bias, rows, n))
DISPATCH(gelu_tanh, (float *x, long count), (x, count))
DISPATCH(relu, (float *x, long count), (x, count))
DISPATCH(silu, (float *x, long count), (x, count))
DISPATCH(tanh, (float *x, long count), (x, count))
DISPATCH(bias_activation, (float *y, long rows, long n, const float *bias, int act), (y, rows, n, bias, act))
