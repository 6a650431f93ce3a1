/// Where a recorded training run stands.
public enum RunStatus: String, Codable, Sendable, CaseIterable {
    /// Started and, as far as the store knows, still running.
    case running
    /// Ran to its end (early stopping included).
    case finished
    /// Ended with an error, or its process ended without saying how (killed, crashed).
    case failed
    /// Stopped on request (Ctrl-C) after writing a resumable checkpoint.
    case interrupted
    /// A `finch tune` trial that the pruner stopped early: its dev metric was not among the best.
    case pruned
}
