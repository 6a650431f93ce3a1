#ifndef CFINCHBLAS_SHIM_H
#define CFINCHBLAS_SHIM_H
// The one place Finch sees BLAS. Linux: OpenBLAS's cblas.h (pkg-config
// "openblas" adds its include directory). macOS: Accelerate's cblas.
#if defined(__APPLE__)
#include <Accelerate/Accelerate.h>
#else
#include <cblas.h>
// OpenBLAS extensions used to keep Finch's own threads and BLAS's from
// oversubscribing the cores.
extern void openblas_set_num_threads(int num_threads);
extern int openblas_get_num_threads(void);
extern char *openblas_get_corename(void);
#endif
#endif
