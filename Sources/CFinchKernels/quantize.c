// Quantization for the int8 GEMM: activations per row (asymmetric u8, at run
// time), weights per output channel (symmetric s8, once). See finch_int8.h.
// The activation quantizer runs on every product, so it has an AVX-512 path
// (same results: min/max are exact, and the conversion rounds to nearest even
// as lrintf does).
#include "finch_cpu.h"
#include "finch_int8.h"
#include <math.h>

static inline long clamp_long(long v, long lo, long hi) { return v < lo ? lo : v > hi ? hi : v; }

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#include <immintrin.h>
#define AVX512 __attribute__((target("avx512f,avx512vl,avx512dq,avx512bw,avx2,fma")))

// Row range [lo, hi] with 0 included.
AVX512 static void range_avx512(const float *row, long k, float *lo, float *hi) {
    __m512 vlo = _mm512_setzero_ps(), vhi = vlo;
    long p = 0;
    for (; p + 16 <= k; p += 16) {
        __m512 v = _mm512_loadu_ps(row + p);
        vlo = _mm512_min_ps(vlo, v);
        vhi = _mm512_max_ps(vhi, v);
    }
    if (p < k) {
        __mmask16 m = (__mmask16)((1u << (k - p)) - 1u);
        __m512 v = _mm512_maskz_loadu_ps(m, row + p);  // zeros in the tail: 0 is in the range anyway
        vlo = _mm512_min_ps(vlo, v);
        vhi = _mm512_max_ps(vhi, v);
    }
    *lo = _mm512_reduce_min_ps(vlo);
    *hi = _mm512_reduce_max_ps(vhi);
}

// q = clamp(round(x / s) + z, 0, 255).
AVX512 static void quantize_row_avx512(const float *row, long k, float s, long z, uint8_t *out) {
    __m512 vs = _mm512_set1_ps(s);
    __m512i vz = _mm512_set1_epi32((int)z), zero = _mm512_setzero_si512();
    for (long p = 0; p < k; p += 16) {
        __mmask16 m = k - p >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << (k - p)) - 1u);
        __m512 v = _mm512_div_ps(_mm512_maskz_loadu_ps(m, row + p), vs);
        __m512i r = _mm512_max_epi32(_mm512_add_epi32(_mm512_cvtps_epi32(v), vz), zero);
        _mm_mask_storeu_epi8(out + p, m, _mm512_cvtusepi32_epi8(r));
    }
}
#define HAVE_AVX512_QUANTIZE 1
#endif

void finch_quantize_rows_u8(long m, long k, const float *x, long ldx, uint8_t *q, long ldq, float *scale,
                            int32_t *zero) {
#ifdef HAVE_AVX512_QUANTIZE
    int wide = finch_isa() >= FINCH_ISA_AVX512;
#else
    int wide = 0;
#endif
    for (long i = 0; i < m; i++) {
        const float *row = x + i * ldx;
        float lo = 0.0f, hi = 0.0f;
#ifdef HAVE_AVX512_QUANTIZE
        if (wide) range_avx512(row, k, &lo, &hi);
#endif
        for (long p = 0; p < k && !wide; p++) {
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
#ifdef HAVE_AVX512_QUANTIZE
        if (wide) {
            quantize_row_avx512(row, k, s, z, out);
        } else
#endif
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
