#ifndef FINCH_MPI_H
#define FINCH_MPI_H
// MPI loaded at run time with dlopen, so that Finch builds and runs without it.
//
// The ABI is Open MPI's (4.x, `libmpi.so.40`): handles are pointers, and the predefined
// ones (MPI_COMM_WORLD, MPI_FLOAT, MPI_SUM, …) are the addresses of Open MPI's global objects
// (`ompi_mpi_comm_world`, `ompi_mpi_float`, `ompi_mpi_op_sum`, …), taken with dlsym. Another MPI
// (MPICH, Intel MPI: integer handles) has none of these symbols; loading fails with a message
// that says so instead of passing it wrong handles.
//
// Every function returns 0 (MPI_SUCCESS) or an error code; `finch_mpi_load` writes a readable
// reason into `error`.
#include <stddef.h>

/// The version of this shim's interface.
int finch_mpi_abi_version(void);

/// Element types the collectives take.
typedef enum { FINCH_MPI_FLOAT = 0, FINCH_MPI_DOUBLE = 1, FINCH_MPI_INT = 2 } finch_mpi_type;
/// Reductions.
typedef enum { FINCH_MPI_SUM = 0, FINCH_MPI_MAX = 1 } finch_mpi_op;

/// Opens `library` (NULL: libmpi.so.40, then libmpi.so) and resolves every function and handle.
/// Returns 0, 1 when no library could be opened, 2 when it is not Open MPI (or lacks a function).
int finch_mpi_load(const char *library, char *error, size_t error_size);
/// 1 once `finch_mpi_load` succeeded.
int finch_mpi_loaded(void);
/// The path or name of the library that was opened.
const char *finch_mpi_library_name(void);

/// MPI_Init_thread with MPI_THREAD_FUNNELED (only the main thread calls MPI); `provided` gets
/// the level granted.
int finch_mpi_init(int *provided);
/// MPI_Initialized.
int finch_mpi_initialized(int *flag);
/// MPI_Finalize.
int finch_mpi_finalize(void);
/// MPI_Comm_rank(MPI_COMM_WORLD).
int finch_mpi_rank(int *rank);
/// MPI_Comm_size(MPI_COMM_WORLD).
int finch_mpi_size(int *size);
/// MPI_Allreduce in place over MPI_COMM_WORLD.
int finch_mpi_allreduce(void *buffer, int count, finch_mpi_type type, finch_mpi_op op);
/// MPI_Bcast from `root`.
int finch_mpi_bcast(void *buffer, int count, finch_mpi_type type, int root);
/// MPI_Allgather of `count` elements from every rank.
int finch_mpi_allgather(const void *send, int count, void *receive, finch_mpi_type type);
/// MPI_Allgatherv: rank r sends counts[r] elements, placed at displacements[r].
int finch_mpi_allgatherv(
    const void *send, int count, void *receive, const int *counts, const int *displacements, finch_mpi_type type);
/// MPI_Barrier.
int finch_mpi_barrier(void);
/// MPI_Abort(MPI_COMM_WORLD, code): ends every rank of the job.
int finch_mpi_abort(int code);

/// Installs a SIGTERM handler that writes `message` to standard error and exits with 143
/// (what `mpirun` sends the surviving ranks when one dies). The message is copied; calling
/// again replaces it. Async-signal-safe: the handler only calls write and _exit.
void finch_mpi_set_termination_message(const char *message);
#endif
