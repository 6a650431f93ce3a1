/// What can go wrong setting up or running a multi-process job.
public enum DistributedError: Error, CustomStringConvertible, Equatable, Sendable {
    /// `--distributed mpi` was asked for, but no MPI library could be opened.
    case mpiNotInstalled(reason: String)
    /// A library was opened but it is not Open MPI (its handles are not Open MPI's objects).
    case notOpenMPI(library: String, reason: String)
    /// An MPI call returned an error code.
    case callFailed(function: String, code: Int32)
    /// A rank outside 0..<size.
    case invalidRank(Int, size: Int)
    /// A gather's buffer does not hold the counts' total.
    case countMismatch(expected: Int, found: Int)
    /// Ranks passed different values where the job needs one (steps, sizes, settings).
    case ranksDisagree(what: String, values: [Int])
    /// A setting has no meaning (or no implementation) in a multi-process job.
    case unsupported(String)
    /// An environment value (a launcher's variable, a `--distributed` value) is not understood.
    case invalidSetting(name: String, value: String, reason: String)

    /// The message a user reads.
    public var description: String {
        switch self {
        case .mpiNotInstalled(let reason):
            return "MPI was asked for (--distributed mpi) but no MPI library could be loaded (\(reason)); "
                + "install Open MPI (apt-get install libopenmpi-dev openmpi-bin) and launch with mpirun"
        case let .notOpenMPI(library, reason):
            return "\(library) is not Open MPI (\(reason)); Finch talks to MPI through Open MPI's ABI (libmpi.so.40), "
                + "so another MPI (MPICH, Intel MPI) cannot be used"
        case let .callFailed(function, code): return "\(function) failed with MPI error code \(code)"
        case let .invalidRank(rank, size): return "rank \(rank) is not in a job of \(size) process(es)"
        case let .countMismatch(expected, found): return "a gather needs room for \(expected) values, the buffer holds \(found)"
        case let .ranksDisagree(what, values):
            return "the ranks disagree on \(what): "
                + values.enumerated().map { "rank \($0.offset) has \($0.element)" }.joined(separator: ", ")
        case .unsupported(let what): return what
        case let .invalidSetting(name, value, reason): return "\(name)=\(value): \(reason)"
        }
    }
}
