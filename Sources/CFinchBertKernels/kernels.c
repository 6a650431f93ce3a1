// Row kernels for BERT inference. Each kernel body is written once as an
// always-inline function and instantiated under three target attributes, so
// the compiler vectorises it for AVX-512, AVX2+FMA and the baseline; a
// function pointer chosen on first use dispatches (no global compiler flags,
// so the package needs no unsafe settings). Reductions use explicit lane
// accumulators, which vectorise without fast-math.
#include "finch_bert_kernels.h"
#include <math.h>
#include <stdint.h>
#include <string.h>

#define LANES 16
#define INLINE static inline __attribute__((always_inline))

INLINE float fbk_bits_to_float(uint32_t u) { float f; memcpy(&f, &u, 4); return f; }
INLINE uint32_t fbk_float_to_bits(float f) { uint32_t u; memcpy(&u, &f, 4); return u; }

/// e^x for x ≤ 88 (Cephes expf polynomial after range reduction by ln 2);
/// returns 0 below -87.3 so masked scores vanish exactly.
INLINE float fbk_exp(float x) {
    float xc = x < -87.3f ? -87.3f : (x > 88.0f ? 88.0f : x);
    float t = xc * 1.44269504088896341f + 12582912.0f;  // round(x / ln 2) in the low mantissa bits
    uint32_t ni = fbk_float_to_bits(t) - 0x4B400000u;
    float n = t - 12582912.0f;
    float r = xc - n * 0.693359375f + n * 2.12194440e-4f;
    float p = 1.9875691500e-4f;
    p = p * r + 1.3981999507e-3f;
    p = p * r + 8.3334519073e-3f;
    p = p * r + 4.1665795894e-2f;
    p = p * r + 1.6666665459e-1f;
    p = p * r + 5.0000001201e-1f;
    float e = p * r * r + r + 1.0f;
    float scale = fbk_bits_to_float((ni + 127u) << 23);
    return x < -87.3f ? 0.0f : e * scale;
}

INLINE void body_layer_norm(const float *x, float *y, long rows, long n, const float *w, const float *b, float eps) {
    for (long r = 0; r < rows; r++) {
        const float *xr = x + r * n;
        float *yr = y + r * n;
        float acc[LANES] = {0};
        long j = 0;
        for (; j + LANES <= n; j += LANES)
            for (int l = 0; l < LANES; l++) acc[l] += xr[j + l];
        float sum = 0;
        for (int l = 0; l < LANES; l++) sum += acc[l];
        for (; j < n; j++) sum += xr[j];
        float mean = sum / (float)n;
        float vacc[LANES] = {0};
        j = 0;
        for (; j + LANES <= n; j += LANES)
            for (int l = 0; l < LANES; l++) { float d = xr[j + l] - mean; vacc[l] += d * d; }
        float var = 0;
        for (int l = 0; l < LANES; l++) var += vacc[l];
        for (; j < n; j++) { float d = xr[j] - mean; var += d * d; }
        float rstd = 1.0f / sqrtf(var / (float)n + eps);
        for (j = 0; j < n; j++) yr[j] = (xr[j] - mean) * rstd * w[j] + b[j];
    }
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

INLINE float fbk_gelu_erf_one(float v) {
    float z = v * 0.70710678118654752f;
    float az = fabsf(z);
    float t = 1.0f / (1.0f + 0.3275911f * az);
    float poly = ((((1.061405429f * t - 1.453152027f) * t + 1.421413741f) * t - 0.284496736f) * t + 0.254829592f) * t;
    float erf_abs = 1.0f - poly * fbk_exp(-az * az);
    float erf = z < 0 ? -erf_abs : erf_abs;
    return 0.5f * v * (1.0f + erf);
}

INLINE void body_gelu_erf(float *x, long count) {
    for (long i = 0; i < count; i++) x[i] = fbk_gelu_erf_one(x[i]);
}

/// tanh(u) = 1 − 2 / (e^{2u} + 1), saturating for large |u|.
INLINE float fbk_tanh_one(float u) {
    float uc = u > 9.0f ? 9.0f : (u < -9.0f ? -9.0f : u);
    return 1.0f - 2.0f / (fbk_exp(2.0f * uc) + 1.0f);
}

INLINE float fbk_gelu_tanh_one(float v) {
    float u = 0.7978845608028654f * (v + 0.044715f * v * v * v);
    return 0.5f * v * (1.0f + fbk_tanh_one(u));
}

INLINE float fbk_silu_one(float v) {
    float vc = v < -87.0f ? -87.0f : v;
    return v / (1.0f + fbk_exp(-vc));
}

INLINE void body_gelu_tanh(float *x, long count) {
    for (long i = 0; i < count; i++) x[i] = fbk_gelu_tanh_one(x[i]);
}

INLINE void body_relu(float *x, long count) {
    for (long i = 0; i < count; i++) x[i] = x[i] > 0 ? x[i] : 0;
}

INLINE void body_silu(float *x, long count) {
    for (long i = 0; i < count; i++) x[i] = fbk_silu_one(x[i]);
}

INLINE void body_bias_activation(float *y, long rows, long n, const float *bias, int act) {
    for (long r = 0; r < rows; r++) {
        float *row = y + r * n;
        switch (act) {
        case 1: for (long j = 0; j < n; j++) row[j] = fbk_gelu_erf_one(row[j] + bias[j]); break;
        case 2: for (long j = 0; j < n; j++) row[j] = fbk_gelu_tanh_one(row[j] + bias[j]); break;
        case 3: for (long j = 0; j < n; j++) { float v = row[j] + bias[j]; row[j] = v > 0 ? v : 0; } break;
        case 4: for (long j = 0; j < n; j++) row[j] = fbk_silu_one(row[j] + bias[j]); break;
        default: for (long j = 0; j < n; j++) row[j] += bias[j]; break;
        }
    }
}

INLINE void body_tanh(float *x, long count) {
    for (long i = 0; i < count; i++) x[i] = fbk_tanh_one(x[i]);
}

INLINE void body_softmax_rows(float *s, long rows, long n, const float *bias) {
    for (long r = 0; r < rows; r++) {
        float *row = s + r * n;
        if (bias)
            for (long j = 0; j < n; j++) row[j] += bias[j];
        float macc[LANES];
        for (int l = 0; l < LANES; l++) macc[l] = -INFINITY;
        long j = 0;
        for (; j + LANES <= n; j += LANES)
            for (int l = 0; l < LANES; l++) macc[l] = row[j + l] > macc[l] ? row[j + l] : macc[l];
        float m = -INFINITY;
        for (int l = 0; l < LANES; l++) m = macc[l] > m ? macc[l] : m;
        for (; j < n; j++) m = row[j] > m ? row[j] : m;
        if (m <= -1e30f) m = 0;  // every entry masked: uniform, as the reference's softmax
        float sacc[LANES] = {0};
        j = 0;
        for (; j + LANES <= n; j += LANES)
            for (int l = 0; l < LANES; l++) {
                float e = row[j + l] <= -1e30f ? 0.0f : fbk_exp(row[j + l] - m);
                row[j + l] = e;
                sacc[l] += e;
            }
        float sum = 0;
        for (int l = 0; l < LANES; l++) sum += sacc[l];
        for (; j < n; j++) {
            float e = row[j] <= -1e30f ? 0.0f : fbk_exp(row[j] - m);
            row[j] = e;
            sum += e;
        }
        if (sum == 0) {  // all masked: the reference gives uniform weights
            for (j = 0; j < n; j++) row[j] = 1.0f / (float)n;
            continue;
        }
        float inv = 1.0f / sum;
        for (j = 0; j < n; j++) row[j] *= inv;
    }
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

INSTANTIATE(layer_norm, (const float *x, float *y, long rows, long n, const float *w, const float *b, float eps),
            (x, y, rows, n, w, b, eps))
INSTANTIATE(fill_rows, (float *y, const float *x, const float *bias, long rows, long n), (y, x, bias, rows, n))
INSTANTIATE(gelu_erf, (float *x, long count), (x, count))
INSTANTIATE(gelu_tanh, (float *x, long count), (x, count))
INSTANTIATE(relu, (float *x, long count), (x, count))
INSTANTIATE(silu, (float *x, long count), (x, count))
INSTANTIATE(tanh, (float *x, long count), (x, count))
INSTANTIATE(bias_activation, (float *y, long rows, long n, const float *bias, int act), (y, rows, n, bias, act))
INSTANTIATE(softmax_rows, (float *s, long rows, long n, const float *bias), (s, rows, n, bias))

static int fbk_detect(void) {
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
    static int cached = -1;
    if (cached < 0) {
        __builtin_cpu_init();
        if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl") &&
            __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512bw"))
            cached = 2;
        else if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
            cached = 1;
        else
            cached = 0;
    }
    return cached;
#else
    return 0;
#endif
}

static int fbk_forced = -1;

int fbk_variant(void) {
    int detected = fbk_detect();
    return fbk_forced >= 0 && fbk_forced < detected ? fbk_forced : detected;
}

int fbk_force_variant(int variant) {
    fbk_forced = variant;
    return fbk_variant();
}

#if defined(__x86_64__)
#define DISPATCH(name, params, args)                         \
    void fbk_##name params {                                 \
        switch (fbk_variant()) {                             \
        case 2: name##_avx512 args; return;                  \
        case 1: name##_avx2 args; return;                    \
        default: name##_base args; return;                   \
        }                                                    \
    }
#else
#define DISPATCH(name, params, args) void fbk_##name params { name##_base args; }
#endif

DISPATCH(layer_norm, (const float *x, float *y, long rows, long n, const float *w, const float *b, float eps),
         (x, y, rows, n, w, b, eps))
DISPATCH(fill_rows, (float *y, const float *x, const float *bias, long rows, long n), (y, x, bias, rows, n))
DISPATCH(gelu_erf, (float *x, long count), (x, count))
DISPATCH(gelu_tanh, (float *x, long count), (x, count))
DISPATCH(relu, (float *x, long count), (x, count))
DISPATCH(silu, (float *x, long count), (x, count))
DISPATCH(tanh, (float *x, long count), (x, count))
DISPATCH(bias_activation, (float *y, long rows, long n, const float *bias, int act), (y, rows, n, bias, act))
DISPATCH(softmax_rows, (float *s, long rows, long n, const float *bias), (s, rows, n, bias))
