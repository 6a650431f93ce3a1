import Foundation

/// How a command runs across processes (`--distributed`).
public enum DistributedMode: String, Sendable, CaseIterable {
    /// One process, even under a launcher.
    case off
    /// One rank of an MPI job (Open MPI, loaded at run time).
    case mpi

    /// The communicator for `mode`; nil `mode` means: MPI when a launcher's variables are
    /// in `environment` (running under `mpirun`), else one process.
    ///
    /// - Throws: `DistributedError.mpiNotInstalled` / `.notOpenMPI` when MPI is wanted but
    ///   cannot be loaded; `.invalidSetting` for a launcher variable that is not a number.
    public static func communicator(
        for mode: DistributedMode?, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> any Communicator {
        switch mode {
        case .off?: return SingleProcessCommunicator()
        case .mpi?: return try MPICommunicator.shared()
        case nil:
            return try LaunchEnvironment.detect(environment) == nil ? SingleProcessCommunicator() : try MPICommunicator.shared()
        }
    }
}
