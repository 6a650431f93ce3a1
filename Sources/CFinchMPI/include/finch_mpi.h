#ifndef FINCH_MPI_H
#define FINCH_MPI_H
// MPI loaded at run time with dlopen, so that Finch builds and runs without it. Filled in by the
// distributed work.
int finch_mpi_abi_version(void);
#endif
