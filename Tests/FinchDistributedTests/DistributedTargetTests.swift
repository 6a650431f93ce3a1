import CFinchMPI
import Testing

@Test func mpiShimLinks() { #expect(finch_mpi_abi_version() == 1) }
