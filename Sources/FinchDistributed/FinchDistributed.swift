/// Running under `mpirun`: rank, size and collectives over an MPI library loaded at run time.
public enum FinchDistributed {}
