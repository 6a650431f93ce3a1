#ifndef FINCH_KERNELS_H
#define FINCH_KERNELS_H
#include <stddef.h>
/// Returns 1 when the CPU supports AVX-512F (checked once at run time).
int finch_has_avx512(void);
#endif
