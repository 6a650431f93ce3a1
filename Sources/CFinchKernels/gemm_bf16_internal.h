#ifndef FINCH_GEMM_BF16_INTERNAL_H
#define FINCH_GEMM_BF16_INTERNAL_H
// The bf16 GEMM's packed format and kernels. A packed micro-panel of width W
// (MR rows of op(A), or NR columns of op(B)) holds ⌈kc/2⌉ groups of W 32-bit
// words; word (q, r) carries the bf16 values of depth 2q (low half) and 2q+1
// (high half, zero past kc) of row or column r, zero for r past the block's
// end. `vdpbf16ps` multiplies such pairs lane by lane and adds both products
// into one fp32 accumulator.
#include <stdint.h>

#define FINCH_BF16_MR 12
#define FINCH_BF16_NR 32

/// Packs `count` indices × depth [0, kc) into consecutive micro-panels of
/// `width`. "along": element (r, p) is at src[r·ld + p] (depth contiguous: op(A)
/// not transposed, op(B) transposed); "across": at src[p·ld + r] (index
/// contiguous: op(A) transposed, op(B) not).
void finch_bf16_pack_along_avx512(const float *src, long ld, long count, long kc, int width, uint32_t *dst);
void finch_bf16_pack_across_avx512(const float *src, long ld, long count, long kc, int width, uint32_t *dst);

/// One mr × nr tile (mr ≤ 12, nr ≤ 32) from packed panels with kc2 pair
/// groups: C = alpha · Σ + beta · C (C not read when beta is 0).
void finch_bf16_microkernel_avx512(long kc2, const uint32_t *a, const uint32_t *b, float *c, long ldc, float alpha,
                                   float beta, long mr, long nr);
#endif
