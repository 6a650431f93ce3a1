import Synchronization

/// A thread-safe request to stop a run at the next step boundary. The run then
/// writes a checkpoint it can resume from.
public final class StopSignal: Sendable {
    private let flag = Atomic<Bool>(false)
    /// A signal nobody has raised yet.
    public init() {}
    /// Asks the run to stop.
    public func requestStop() { flag.store(true, ordering: .relaxed) }
    /// True once a stop was requested.
    public var isStopRequested: Bool { flag.load(ordering: .relaxed) }
}
