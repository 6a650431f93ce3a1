import Foundation

/// What a launcher (`mpirun`) tells each process through its environment: its rank and the
/// job's size. Used to notice "running under mpirun" without being told.
public struct LaunchEnvironment: Sendable, Equatable {
    /// This process's rank.
    public var rank: Int
    /// The number of processes, when the launcher says.
    public var size: Int?
    /// The variable the rank was read from (`OMPI_COMM_WORLD_RANK`, `PMIX_RANK`, `PMI_RANK`).
    public var source: String

    /// A launch with these values.
    public init(rank: Int, size: Int?, source: String) {
        self.rank = rank
        self.size = size
        self.source = source
    }

    /// Variables naming the rank, with the one naming the size: Open MPI's own, PMIx's
    /// (Open MPI ≥ 4 and Slurm set it), and PMI's (MPICH's hydra).
    static let variables: [(rank: String, size: String?)] = [
        ("OMPI_COMM_WORLD_RANK", "OMPI_COMM_WORLD_SIZE"), ("PMIX_RANK", "OMPI_COMM_WORLD_SIZE"), ("PMI_RANK", "PMI_SIZE"),
    ]

    /// The launch this process is part of, or nil when no launcher's variables are set.
    ///
    /// - Throws: `DistributedError.invalidSetting` for a variable that is set but not a number.
    public static func detect(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws -> LaunchEnvironment? {
        for (rankName, sizeName) in variables {
            guard let text = environment[rankName] else { continue }
            guard let rank = Int(text), rank >= 0 else {
                throw DistributedError.invalidSetting(name: rankName, value: text, reason: "not a rank (a number ≥ 0)")
            }
            var size: Int? = nil
            if let sizeName, let sizeText = environment[sizeName] {
                guard let s = Int(sizeText), s > rank else {
                    throw DistributedError.invalidSetting(name: sizeName, value: sizeText, reason: "not a job size above the rank \(rank)")
                }
                size = s
            }
            return LaunchEnvironment(rank: rank, size: size, source: rankName)
        }
        return nil
    }
}
