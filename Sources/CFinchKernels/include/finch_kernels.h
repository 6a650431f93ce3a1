#ifndef FINCH_KERNELS_H
#define FINCH_KERNELS_H
// Finch's C kernel library: one CPU dispatch (finch_cpu.h), row kernels
// (finch_rows.h), inference activations (finch_activations.h), the GEMM
// (finch_gemm.h), its bf16 mixed-precision form (finch_bf16.h) and the int8
// GEMM with its quantization (finch_int8.h).
#include "finch_activations.h"
#include "finch_bf16.h"
#include "finch_cpu.h"
#include "finch_gemm.h"
#include "finch_int8.h"
#include "finch_rows.h"
#endif
