#include "finch_mpi.h"
int finch_mpi_abi_version(void) { return 1; }
