import ArgumentParser
import FinchDistributed
import Foundation

/// `--distributed off|mpi`: how a training command spreads over processes. Without it a
/// command run under `mpirun` (noticed from the launcher's environment) joins the MPI job,
/// and one run by hand trains alone.
struct DistributedOptions: ParsableArguments {
    @Option(
        help: """
            off (one process) or mpi (one rank of an Open MPI job started by mpirun; Open MPI is loaded \
            at run time). Default: mpi under mpirun, else off.
            """)
    var distributed: DistributedMode?

    init() {}

    /// The job's communicator (MPI is loaded and initialized here when used).
    func communicator() throws -> any Communicator {
        try DistributedMode.communicator(for: distributed)
    }

    /// The communicator when the command runs as part of a job (`--distributed mpi`, or
    /// under `mpirun`), nil for a process on its own.
    func communicatorIfAsked() throws -> (any Communicator)? {
        let communicator = try self.communicator()
        return distributed == .mpi || communicator.size > 1 ? communicator : nil
    }
}

extension DistributedMode: ExpressibleByArgument {}

/// What a rank of a job does around a command's work: only rank 0 talks to the terminal;
/// when `mpirun` terminates a rank because another died, it says so; at the end MPI is
/// finalized.
enum DistributedJob {
    /// True when `communicator` is rank 0 (the one that prints and writes).
    static func isRoot(_ communicator: (any Communicator)?) -> Bool { communicator?.isRoot ?? true }

    /// Sets what this rank prints if `mpirun` terminates it: `what` is the state a
    /// `--resume` would continue from.
    static func onTermination(_ communicator: (any Communicator)?, _ what: String) {
        guard let mpi = communicator as? MPICommunicator else { return }
        mpi.setTerminationMessage(
            "finch: rank \(mpi.rank) of \(mpi.size) was stopped by mpirun, which ends the job when a rank fails "
                + "or is killed (see mpirun's report for which); \(what)\n")
    }

    /// Finalizes MPI after the last collective (every rank reaches this together).
    static func finish(_ communicator: (any Communicator)?) throws {
        try (communicator as? MPICommunicator)?.finalize()
    }

    /// Test hook: `FINCH_FAULT_KILL_RANK_AFTER_STEP=R:S` makes rank R kill itself
    /// (SIGKILL, as the OOM killer or a lost machine would) after step S — for the tests
    /// that check a job fails clearly and resumes.
    static func faultInjection(_ communicator: (any Communicator)?, step: Int) {
        guard let communicator, let spec = ProcessInfo.processInfo.environment["FINCH_FAULT_KILL_RANK_AFTER_STEP"] else { return }
        let parts = spec.split(separator: ":").compactMap { Int($0) }
        if parts.count == 2, parts[0] == communicator.rank, parts[1] == step { kill(getpid(), SIGKILL) }
    }
}
