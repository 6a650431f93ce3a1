/// What to do with a checkpoint already in the output directory.
public enum ResumeMode: Sendable, Equatable {
    /// Start from step 0 (any old checkpoint is overwritten).
    case fresh
    /// Continue from the checkpoint; its absence (or a missing file) is an error.
    case required
    /// Continue from the checkpoint when there is one, else start from step 0.
    case ifPresent
}
