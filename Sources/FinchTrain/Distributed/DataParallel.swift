import FinchDistributed

/// Data-parallel training over a `Communicator`: every rank holds the whole model; each
/// batch of the global plan is split across ranks by position (`share(of:)`), the
/// gradients are summed with allreduce in buckets of `bucketBytes`, and every rank applies
/// the same update. Rank 0 alone writes files (checkpoints, metrics, `best/`, the export).
///
/// What makes N ranks compute what one process computes with the same global batch:
/// - the batch plan depends on the seed and the epoch only, so every rank draws the same;
/// - each batch's loss is scaled by its share of the step's examples, so the summed
///   gradient is the one-process gradient (exact for losses that are a mean over examples,
///   as classification's is; a tagger's loss averages tokens, so there each rank's share is
///   weighted by its examples, not its tokens, and results differ slightly);
/// - dropout masks are keyed by (seed, module, step, global sample index) instead of a
///   stream (`SampleKeyedDropout`), so a sample draws the same mask on whichever rank;
/// - clipping reads the global norm of the summed gradient, identical on every rank.
///
/// A one-process job with the same settings (`--distributed mpi` without `mpirun`, or
/// `SingleProcessCommunicator`) uses the same keyed dropout: it is the reference the
/// multi-rank runs equal. Runs without data parallelism keep the dropout stream.
public struct DataParallel: Sendable {
    /// The ranks.
    public var communicator: any Communicator
    /// Largest allreduce message: gradients are packed into buckets of this many bytes
    /// (PyTorch DDP's default is 25 MB). A tensor larger than a bucket goes in pieces.
    public var bucketBytes: Int

    /// Data parallelism over `communicator` with buckets of `bucketBytes` (25 MB by default).
    public init(communicator: any Communicator, bucketBytes: Int = 25 << 20) {
        self.communicator = communicator
        self.bucketBytes = bucketBytes
    }

    /// This rank's part of a batch: the contiguous slice of positions
    /// ⌊n·r/N⌋..<⌊n·(r+1)/N⌋, so the N shares tile the batch in order.
    public func share(of batch: [Int]) -> ArraySlice<Int> {
        Self.share(of: batch, rank: communicator.rank, size: communicator.size)
    }

    /// Rank `rank`'s slice of `batch` among `size` ranks.
    public static func share(of batch: [Int], rank: Int, size: Int) -> ArraySlice<Int> {
        let n = batch.count
        return batch[(n * rank / size)..<(n * (rank + 1) / size)]
    }

    /// True on the rank that writes files.
    public var isWriter: Bool { communicator.isRoot }

    /// Checks what data parallelism cannot do.
    ///
    /// - Throws: `DistributedError.unsupported` for FGM adversarial training (its
    ///   perturbation needs the embedding gradient of the whole batch between two
    ///   backward passes) and for buckets smaller than 4 bytes.
    func validate(_ configuration: TrainingConfiguration) throws {
        if configuration.adversarialEpsilon != nil {
            throw DistributedError.unsupported(
                "--adversarial-epsilon (FGM) is not available with --distributed: its perturbation needs the whole batch's embedding gradient"
            )
        }
        if bucketBytes < 4 { throw DistributedError.unsupported("the allreduce bucket must hold at least one float (4 bytes)") }
    }
}
