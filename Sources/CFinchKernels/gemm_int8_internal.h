#ifndef FINCH_GEMM_INT8_INTERNAL_H
#define FINCH_GEMM_INT8_INTERNAL_H
// Micro-kernels of the int8 GEMM. Each computes one mr × nr tile (mr ≤ MR,
// nr ≤ NR) from packed panels holding kc values of depth (kc a multiple of the
// kernel's group), zero-padded:
//   group 4, bytes (VNNI): A: per group of 4 k, MR rows × 4 u8; B: NR columns × 4 s8.
//   group 2, int16 (AVX2, portable): A: per pair of k, MR rows × 2; B: NR columns × 2.
// The tile's sum is stored into C (int32), added to it when `accumulate` is
// nonzero; when `dq` is not NULL the sum is complete and the tile is written
// as floats through the same memory (finch_dequant, its arrays offset to the
// tile's first row and column).
#include "finch_int8.h"
#include <stdint.h>

typedef void (*finch_int8_microkernel)(long kc, const void *a, const void *b, int32_t *c, long ldc, int accumulate,
                                       const finch_dequant *dq, long mr, long nr);

void finch_int8_kernel_vnni(long kc, const void *a, const void *b, int32_t *c, long ldc, int accumulate,
                            const finch_dequant *dq, long mr, long nr);
void finch_int8_kernel_avx2(long kc, const void *a, const void *b, int32_t *c, long ldc, int accumulate,
                            const finch_dequant *dq, long mr, long nr);
void finch_int8_kernel_portable(long kc, const void *a, const void *b, int32_t *c, long ldc, int accumulate,
                                const finch_dequant *dq, long mr, long nr);

/// Stores an mr × nr tile of sums (`tile`, row stride tile_ld) by the contract
/// above, in plain C: the store of the AVX2 and portable kernels.
void finch_int8_store_tile(const int32_t *tile, long tile_ld, int32_t *c, long ldc, int accumulate,
                           const finch_dequant *dq, long mr, long nr);

#define FINCH_VNNI_MR 12
#define FINCH_VNNI_NR 32
#define FINCH_INT8_AVX2_MR 6
#define FINCH_INT8_AVX2_NR 16
#define FINCH_INT8_PORTABLE_MR 4
#define FINCH_INT8_PORTABLE_NR 16
#endif
