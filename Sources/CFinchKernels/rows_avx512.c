// AVX-512 versions of the kernels. Every function carries a target attribute,
// so the file builds with default flags and is only called after a CPU check.
#include "rows_internal.h"

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#include <immintrin.h>
#include <math.h>

#define AVX512 __attribute__((target("avx512f")))
#define V 16

AVX512 static inline __mmask16 tail_mask(long rem) { return (__mmask16)((1u << rem) - 1u); }

// e^x: x = n·ln2 + r, |r| ≤ ln2/2, e^r by Cephes' degree-6 polynomial, then
// scaled by 2^n with scalef (which also underflows to 0 and overflows to inf).
AVX512 static inline __m512 exp512(__m512 x) {
    const __m512 log2e = _mm512_set1_ps(1.44269504088896341f);
    const __m512 c1 = _mm512_set1_ps(0.693359375f), c2 = _mm512_set1_ps(-2.12194440e-4f);
    x = _mm512_min_ps(_mm512_max_ps(x, _mm512_set1_ps(-104.0f)), _mm512_set1_ps(88.7228391f));
    __m512 n = _mm512_roundscale_ps(_mm512_mul_ps(x, log2e), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    __m512 r = _mm512_fnmadd_ps(n, c1, x);
    r = _mm512_fnmadd_ps(n, c2, r);
    __m512 p = _mm512_set1_ps(1.9875691500e-4f);
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.3981999507e-3f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(8.3334519073e-3f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(4.1665795894e-2f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.6666665459e-1f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(5.0000001201e-1f));
    __m512 r2 = _mm512_mul_ps(r, r);
    p = _mm512_fmadd_ps(p, r2, _mm512_add_ps(r, _mm512_set1_ps(1.0f)));
    return _mm512_scalef_ps(p, n);
}

AVX512 void finch_exp_avx512(const float *x, float *y, long count) {
    long i = 0;
    for (; i + V <= count; i += V) _mm512_storeu_ps(y + i, exp512(_mm512_loadu_ps(x + i)));
    if (i < count) {
        __mmask16 m = tail_mask(count - i);
        _mm512_mask_storeu_ps(y + i, m, exp512(_mm512_maskz_loadu_ps(m, x + i)));
    }
}

AVX512 static inline float row_max512(const float *x, long n) {
    __m512 m = _mm512_set1_ps(-INFINITY);
    long j = 0;
    for (; j + V <= n; j += V) m = _mm512_max_ps(m, _mm512_loadu_ps(x + j));
    if (j < n) m = _mm512_max_ps(m, _mm512_mask_loadu_ps(_mm512_set1_ps(-INFINITY), tail_mask(n - j), x + j));
    return _mm512_reduce_max_ps(m);
}

// Writes e^(x − m) to y and returns the sum.
AVX512 static inline float exp_shift_sum512(const float *x, float *y, long n, float m) {
    __m512 vm = _mm512_set1_ps(m), s = _mm512_setzero_ps();
    long j = 0;
    for (; j + V <= n; j += V) {
        __m512 e = exp512(_mm512_sub_ps(_mm512_loadu_ps(x + j), vm));
        if (y) _mm512_storeu_ps(y + j, e);
        s = _mm512_add_ps(s, e);
    }
    if (j < n) {
        __mmask16 k = tail_mask(n - j);
        __m512 e = _mm512_maskz_mov_ps(k, exp512(_mm512_sub_ps(_mm512_maskz_loadu_ps(k, x + j), vm)));
        if (y) _mm512_mask_storeu_ps(y + j, k, e);
        s = _mm512_add_ps(s, e);
    }
    return _mm512_reduce_add_ps(s);
}

// y = a·x + b over n elements (y may alias x).
AVX512 static inline void affine512(const float *x, float *y, long n, float a, float b) {
    __m512 va = _mm512_set1_ps(a), vb = _mm512_set1_ps(b);
    long j = 0;
    for (; j + V <= n; j += V) _mm512_storeu_ps(y + j, _mm512_fmadd_ps(_mm512_loadu_ps(x + j), va, vb));
    if (j < n) {
        __mmask16 k = tail_mask(n - j);
        _mm512_mask_storeu_ps(y + j, k, _mm512_fmadd_ps(_mm512_maskz_loadu_ps(k, x + j), va, vb));
    }
}

// y = x + b over n elements (y may alias x).
AVX512 static inline void affine_add512(const float *x, const float *b, float *y, long n) {
    long j = 0;
    for (; j + V <= n; j += V) _mm512_storeu_ps(y + j, _mm512_add_ps(_mm512_loadu_ps(x + j), _mm512_loadu_ps(b + j)));
    if (j < n) {
        __mmask16 k = tail_mask(n - j);
        _mm512_mask_storeu_ps(y + j, k, _mm512_add_ps(_mm512_maskz_loadu_ps(k, x + j), _mm512_maskz_loadu_ps(k, b + j)));
    }
}

AVX512 void finch_softmax_bias_rows_avx512(const float *x, float *y, long rows, long n, const float *bias) {
    for (long i = 0; i < rows; i++, x += n, y += n) {
        const float *v = x;  // the row, with the bias added in y when there is one
        if (bias) {
            affine_add512(x, bias, y, n);
            v = y;
        }
        float m = row_max512(v, n);
        float s = exp_shift_sum512(v, y, n, m);
        affine512(y, y, n, 1.0f / s, 0.0f);
    }
}

AVX512 void finch_log_softmax_rows_avx512(const float *x, float *y, long rows, long n) {
    for (long i = 0; i < rows; i++, x += n, y += n) {
        float m = row_max512(x, n);
        float s = exp_shift_sum512(x, 0, n, m);
        affine512(x, y, n, 1.0f, -(m + logf(s)));
    }
}

AVX512 static inline float dot512(const float *a, const float *b, long n) {
    __m512 s = _mm512_setzero_ps();
    long j = 0;
    for (; j + V <= n; j += V) s = _mm512_fmadd_ps(_mm512_loadu_ps(a + j), _mm512_loadu_ps(b + j), s);
    if (j < n) {
        __mmask16 k = tail_mask(n - j);
        s = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(k, a + j), _mm512_maskz_loadu_ps(k, b + j), s);
    }
    return _mm512_reduce_add_ps(s);
}

AVX512 static inline float sum512(const float *a, long n) {
    __m512 s = _mm512_setzero_ps();
    long j = 0;
    for (; j + V <= n; j += V) s = _mm512_add_ps(s, _mm512_loadu_ps(a + j));
    if (j < n) s = _mm512_add_ps(s, _mm512_maskz_loadu_ps(tail_mask(n - j), a + j));
    return _mm512_reduce_add_ps(s);
}

AVX512 void finch_softmax_backward_rows_avx512(const float *g, const float *y, float *dx, long rows, long n) {
    for (long i = 0; i < rows; i++, g += n, y += n, dx += n) {
        __m512 dot = _mm512_set1_ps(dot512(g, y, n));
        long j = 0;
        for (; j + V <= n; j += V) {
            __m512 vy = _mm512_loadu_ps(y + j);
            _mm512_storeu_ps(dx + j, _mm512_mul_ps(vy, _mm512_sub_ps(_mm512_loadu_ps(g + j), dot)));
        }
        if (j < n) {
            __mmask16 k = tail_mask(n - j);
            __m512 vy = _mm512_maskz_loadu_ps(k, y + j);
            _mm512_mask_storeu_ps(dx + j, k, _mm512_mul_ps(vy, _mm512_sub_ps(_mm512_maskz_loadu_ps(k, g + j), dot)));
        }
    }
}

AVX512 void finch_log_softmax_backward_rows_avx512(const float *g, const float *y, float *dx, long rows, long n) {
    for (long i = 0; i < rows; i++, g += n, y += n, dx += n) {
        __m512 s = _mm512_set1_ps(sum512(g, n));
        long j = 0;
        for (; j + V <= n; j += V) {
            __m512 p = exp512(_mm512_loadu_ps(y + j));
            _mm512_storeu_ps(dx + j, _mm512_fnmadd_ps(p, s, _mm512_loadu_ps(g + j)));
        }
        if (j < n) {
            __mmask16 k = tail_mask(n - j);
            __m512 p = exp512(_mm512_maskz_loadu_ps(k, y + j));
            _mm512_mask_storeu_ps(dx + j, k, _mm512_fnmadd_ps(p, s, _mm512_maskz_loadu_ps(k, g + j)));
        }
    }
}

AVX512 void finch_layer_norm_rows_avx512(const float *x, const float *w, const float *b, float *y, float *stats,
                                         long rows, long n, float eps) {
    for (long i = 0; i < rows; i++, x += n, y += n) {
        float mean = sum512(x, n) / (float)n;
        __m512 vm = _mm512_set1_ps(mean), acc = _mm512_setzero_ps();
        long j = 0;
        for (; j + V <= n; j += V) {
            __m512 d = _mm512_sub_ps(_mm512_loadu_ps(x + j), vm);
            acc = _mm512_fmadd_ps(d, d, acc);
        }
        if (j < n) {
            __mmask16 k = tail_mask(n - j);
            __m512 d = _mm512_maskz_sub_ps(k, _mm512_maskz_loadu_ps(k, x + j), vm);
            acc = _mm512_fmadd_ps(d, d, acc);
        }
        float rstd = 1.0f / sqrtf(_mm512_reduce_add_ps(acc) / (float)n + eps);
        if (stats) {
            stats[2 * i] = mean;
            stats[2 * i + 1] = rstd;
        }
        __m512 vr = _mm512_set1_ps(rstd);
        for (j = 0; j + V <= n; j += V) {
            __m512 xh = _mm512_mul_ps(_mm512_sub_ps(_mm512_loadu_ps(x + j), vm), vr);
            _mm512_storeu_ps(y + j, _mm512_fmadd_ps(xh, _mm512_loadu_ps(w + j), _mm512_loadu_ps(b + j)));
        }
        if (j < n) {
            __mmask16 k = tail_mask(n - j);
            __m512 xh = _mm512_mul_ps(_mm512_sub_ps(_mm512_maskz_loadu_ps(k, x + j), vm), vr);
            _mm512_mask_storeu_ps(y + j, k, _mm512_fmadd_ps(xh, _mm512_maskz_loadu_ps(k, w + j), _mm512_maskz_loadu_ps(k, b + j)));
        }
    }
}

AVX512 void finch_layer_norm_backward_rows_avx512(const float *g, const float *x, const float *w, const float *stats,
                                                  float *dx, long rows, long n) {
    for (long i = 0; i < rows; i++, g += n, x += n, dx += n) {
        __m512 vm = _mm512_set1_ps(stats[2 * i]), vr = _mm512_set1_ps(stats[2 * i + 1]);
        __m512 sg = _mm512_setzero_ps(), sgx = _mm512_setzero_ps();
        long j = 0;
        for (; j < n; j += V) {
            __mmask16 k = n - j >= V ? (__mmask16)0xFFFF : tail_mask(n - j);
            __m512 gh = _mm512_mul_ps(_mm512_maskz_loadu_ps(k, g + j), _mm512_maskz_loadu_ps(k, w + j));
            __m512 xh = _mm512_maskz_mul_ps(k, _mm512_sub_ps(_mm512_maskz_loadu_ps(k, x + j), vm), vr);
            sg = _mm512_add_ps(sg, gh);
            sgx = _mm512_fmadd_ps(gh, xh, sgx);
        }
        __m512 mg = _mm512_set1_ps(_mm512_reduce_add_ps(sg) / (float)n);
        __m512 mgx = _mm512_set1_ps(_mm512_reduce_add_ps(sgx) / (float)n);
        for (j = 0; j < n; j += V) {
            __mmask16 k = n - j >= V ? (__mmask16)0xFFFF : tail_mask(n - j);
            __m512 gh = _mm512_mul_ps(_mm512_maskz_loadu_ps(k, g + j), _mm512_maskz_loadu_ps(k, w + j));
            __m512 xh = _mm512_mul_ps(_mm512_sub_ps(_mm512_maskz_loadu_ps(k, x + j), vm), vr);
            __m512 d = _mm512_mul_ps(vr, _mm512_sub_ps(_mm512_sub_ps(gh, mg), _mm512_mul_ps(xh, mgx)));
            _mm512_mask_storeu_ps(dx + j, k, d);
        }
    }
}

AVX512 void finch_layer_norm_param_grads_avx512(const float *g, const float *x, const float *stats, float *dw, float *db,
                                                long rows, long n) {
    for (long i = 0; i < rows; i++, g += n, x += n) {
        __m512 vm = _mm512_set1_ps(stats[2 * i]), vr = _mm512_set1_ps(stats[2 * i + 1]);
        for (long j = 0; j < n; j += V) {
            __mmask16 k = n - j >= V ? (__mmask16)0xFFFF : tail_mask(n - j);
            __m512 vg = _mm512_maskz_loadu_ps(k, g + j);
            __m512 xh = _mm512_mul_ps(_mm512_sub_ps(_mm512_maskz_loadu_ps(k, x + j), vm), vr);
            _mm512_mask_storeu_ps(dw + j, k, _mm512_fmadd_ps(vg, xh, _mm512_maskz_loadu_ps(k, dw + j)));
            _mm512_mask_storeu_ps(db + j, k, _mm512_add_ps(vg, _mm512_maskz_loadu_ps(k, db + j)));
        }
    }
}

// Φ(x) = ½(1 + erf(x/√2)) with erfc(|z|) ≈ P(t)·e^{−z²}, t = 1/(1 + p|z|)
// (Abramowitz & Stegun 7.1.26, absolute error ≤ 1.5e−7). Also returns e^{−x²/2}.
AVX512 static inline __m512 normal_cdf512(__m512 x, __m512 *gauss) {
    const __m512 rsqrt2 = _mm512_set1_ps(0.70710678118654752f);
    __m512 z = _mm512_mul_ps(x, rsqrt2);
    __m512 az = _mm512_abs_ps(z);
    // t = 1/d by a 14-bit reciprocal estimate and one Newton step (|rel. error| < 1e-7).
    __m512 d = _mm512_fmadd_ps(az, _mm512_set1_ps(0.3275911f), _mm512_set1_ps(1.0f));
    __m512 t = _mm512_rcp14_ps(d);
    t = _mm512_mul_ps(t, _mm512_fnmadd_ps(d, t, _mm512_set1_ps(2.0f)));
    __m512 p = _mm512_set1_ps(1.061405429f);
    p = _mm512_fmadd_ps(p, t, _mm512_set1_ps(-1.453152027f));
    p = _mm512_fmadd_ps(p, t, _mm512_set1_ps(1.421413741f));
    p = _mm512_fmadd_ps(p, t, _mm512_set1_ps(-0.284496736f));
    p = _mm512_fmadd_ps(p, t, _mm512_set1_ps(0.254829592f));
    p = _mm512_mul_ps(p, t);
    __m512 e = exp512(_mm512_mul_ps(_mm512_mul_ps(az, az), _mm512_set1_ps(-1.0f)));
    *gauss = e;
    __m512 half_erfc = _mm512_mul_ps(_mm512_mul_ps(p, e), _mm512_set1_ps(0.5f));  // ½ erfc(|z|)
    __mmask16 neg = _mm512_cmp_ps_mask(x, _mm512_setzero_ps(), _CMP_LT_OQ);
    // x ≥ 0: 1 − ½erfc(|z|); x < 0: ½erfc(|z|)
    return _mm512_mask_blend_ps(neg, _mm512_sub_ps(_mm512_set1_ps(1.0f), half_erfc), half_erfc);
}

AVX512 void finch_gelu_avx512(const float *x, float *y, long count) {
    for (long i = 0; i < count; i += V) {
        __mmask16 k = count - i >= V ? (__mmask16)0xFFFF : tail_mask(count - i);
        __m512 v = _mm512_maskz_loadu_ps(k, x + i), gauss;
        _mm512_mask_storeu_ps(y + i, k, _mm512_mul_ps(v, normal_cdf512(v, &gauss)));
    }
}

AVX512 void finch_gelu_backward_avx512(const float *g, const float *x, float *dx, long count) {
    const __m512 inv_sqrt_2pi = _mm512_set1_ps(0.39894228040143268f);
    for (long i = 0; i < count; i += V) {
        __mmask16 k = count - i >= V ? (__mmask16)0xFFFF : tail_mask(count - i);
        __m512 v = _mm512_maskz_loadu_ps(k, x + i), gauss;
        __m512 cdf = normal_cdf512(v, &gauss);
        __m512 d = _mm512_fmadd_ps(_mm512_mul_ps(v, gauss), inv_sqrt_2pi, cdf);
        _mm512_mask_storeu_ps(dx + i, k, _mm512_mul_ps(_mm512_maskz_loadu_ps(k, g + i), d));
    }
}

// SplitMix64 on 8 counters at a time (64-bit multiplies: AVX-512 DQ); the
// counters advance by adding 8·γ, so no multiply forms them.
__attribute__((target("avx512f,avx512dq"))) void finch_dropout_avx512(const float *x, float *y, long start, long count,
                                                                       uint64_t key, uint64_t threshold, float scale) {
    const uint64_t gamma = 0x9E3779B97F4A7C15ull;
    const __m512i m1 = _mm512_set1_epi64((long long)0xBF58476D1CE4E5B9ull);
    const __m512i m2 = _mm512_set1_epi64((long long)0x94D049BB133111EBull);
    const __m512i step = _mm512_set1_epi64((long long)(8 * gamma));
    const __m512i limit = _mm512_set1_epi64((long long)threshold);
    const __m512 vscale = _mm512_set1_ps(scale);
    __m512i z0 = _mm512_set_epi64(8, 7, 6, 5, 4, 3, 2, 1);
    z0 = _mm512_add_epi64(_mm512_set1_epi64((long long)(key + (uint64_t)start * gamma)),
                          _mm512_mullo_epi64(z0, _mm512_set1_epi64((long long)gamma)));
    __m512i z1 = _mm512_add_epi64(z0, step);
    for (long i = 0; i < count; i += 16) {
        __m512i a = z0, b = z1;
        a = _mm512_mullo_epi64(_mm512_xor_si512(a, _mm512_srli_epi64(a, 30)), m1);
        b = _mm512_mullo_epi64(_mm512_xor_si512(b, _mm512_srli_epi64(b, 30)), m1);
        a = _mm512_mullo_epi64(_mm512_xor_si512(a, _mm512_srli_epi64(a, 27)), m2);
        b = _mm512_mullo_epi64(_mm512_xor_si512(b, _mm512_srli_epi64(b, 27)), m2);
        a = _mm512_srli_epi64(_mm512_xor_si512(a, _mm512_srli_epi64(a, 31)), 40);
        b = _mm512_srli_epi64(_mm512_xor_si512(b, _mm512_srli_epi64(b, 31)), 40);
        __mmask16 keep = (__mmask16)(_mm512_cmplt_epu64_mask(a, limit) | (_mm512_cmplt_epu64_mask(b, limit) << 8));
        long rem = count - i;
        __mmask16 k = rem >= 16 ? (__mmask16)0xFFFF : tail_mask(rem);
        __m512 v = _mm512_maskz_loadu_ps(k, x + i);
        _mm512_mask_storeu_ps(y + i, k, _mm512_maskz_mul_ps(keep, v, vscale));
        z0 = _mm512_add_epi64(z1, step);
        z1 = _mm512_add_epi64(z0, step);
    }
}

AVX512 void finch_adamw_avx512(float *p, const float *g, float *m, float *v, float *v_max, long count, float decay,
                               float omb1, float beta2, float omb2, float bc2, float eps, float step) {
    const __m512 vdecay = _mm512_set1_ps(decay), vomb1 = _mm512_set1_ps(omb1), vbeta2 = _mm512_set1_ps(beta2);
    const __m512 vomb2 = _mm512_set1_ps(omb2), vbc2 = _mm512_set1_ps(bc2), veps = _mm512_set1_ps(eps);
    const __m512 vstep = _mm512_set1_ps(step);
    for (long i = 0; i < count; i += V) {
        long rem = count - i;
        __mmask16 k = rem >= V ? (__mmask16)0xFFFF : tail_mask(rem);
        __m512 gi = _mm512_maskz_loadu_ps(k, g + i), mi = _mm512_maskz_loadu_ps(k, m + i);
        __m512 vi = _mm512_maskz_loadu_ps(k, v + i), pi = _mm512_maskz_loadu_ps(k, p + i);
        // Separate multiplies and adds (no FMA): the same bits as the portable code.
        mi = _mm512_add_ps(mi, _mm512_mul_ps(vomb1, _mm512_sub_ps(gi, mi)));
        vi = _mm512_add_ps(_mm512_mul_ps(vi, vbeta2), _mm512_mul_ps(_mm512_mul_ps(vomb2, gi), gi));
        _mm512_mask_storeu_ps(m + i, k, mi);
        _mm512_mask_storeu_ps(v + i, k, vi);
        if (v_max) {
            __m512 top = _mm512_maskz_loadu_ps(k, v_max + i);
            __mmask16 take = _mm512_cmp_ps_mask(vi, top, _CMP_GT_OQ) | _mm512_cmp_ps_mask(vi, vi, _CMP_UNORD_Q);
            vi = _mm512_mask_blend_ps(take, top, vi);
            _mm512_mask_storeu_ps(v_max + i, k, vi);
        }
        __m512 denominator = _mm512_add_ps(_mm512_div_ps(_mm512_sqrt_ps(vi), vbc2), veps);
        pi = _mm512_add_ps(_mm512_mul_ps(pi, vdecay), _mm512_div_ps(_mm512_mul_ps(vstep, mi), denominator));
        _mm512_mask_storeu_ps(p + i, k, pi);
    }
}

#else
// Not x86-64: the dispatcher never calls these; they forward to the portable code.
void finch_exp_avx512(const float *x, float *y, long c) { finch_exp_portable(x, y, c); }
void finch_softmax_bias_rows_avx512(const float *x, float *y, long r, long n, const float *b) {
    finch_softmax_bias_rows_portable(x, y, r, n, b);
}
void finch_log_softmax_rows_avx512(const float *x, float *y, long r, long n) { finch_log_softmax_rows_portable(x, y, r, n); }
void finch_softmax_backward_rows_avx512(const float *g, const float *y, float *d, long r, long n) { finch_softmax_backward_rows_portable(g, y, d, r, n); }
void finch_log_softmax_backward_rows_avx512(const float *g, const float *y, float *d, long r, long n) { finch_log_softmax_backward_rows_portable(g, y, d, r, n); }
void finch_layer_norm_rows_avx512(const float *x, const float *w, const float *b, float *y, float *s, long r, long n, float e) { finch_layer_norm_rows_portable(x, w, b, y, s, r, n, e); }
void finch_layer_norm_backward_rows_avx512(const float *g, const float *x, const float *w, const float *s, float *d, long r, long n) { finch_layer_norm_backward_rows_portable(g, x, w, s, d, r, n); }
void finch_layer_norm_param_grads_avx512(const float *g, const float *x, const float *s, float *dw, float *db, long r, long n) { finch_layer_norm_param_grads_portable(g, x, s, dw, db, r, n); }
void finch_gelu_avx512(const float *x, float *y, long c) { finch_gelu_portable(x, y, c); }
void finch_gelu_backward_avx512(const float *g, const float *x, float *d, long c) { finch_gelu_backward_portable(g, x, d, c); }
void finch_adamw_avx512(float *p, const float *g, float *m, float *v, float *w, long c, float d, float o1, float b2, float o2, float bc, float e, float s) { finch_adamw_portable(p, g, m, v, w, c, d, o1, b2, o2, bc, e, s); }
void finch_dropout_avx512(const float *x, float *y, long s, long c, uint64_t k, uint64_t t, float f) { finch_dropout_portable(x, y, s, c, k, t, f); }
#endif
