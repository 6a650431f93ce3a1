import Synchronization

/// A thread-safe request to stop a run at the next step boundary. The run then
/// writes a checkpoint it can resume from.
public final class StopSignal: Sendable {
    private let flag = Atomic<Bool>(false)
    private let parent: StopSignal?
    /// A signal nobody has raised yet.
    public init() { parent = nil }
    /// A signal that is also raised whenever `parent` is (a tuning trial's, under its study's).
    public init(parent: StopSignal) { self.parent = parent }
    /// Asks the run to stop.
    public func requestStop() { flag.store(true, ordering: .relaxed) }
    /// True once a stop was requested of this signal or of its parent.
    public var isStopRequested: Bool { flag.load(ordering: .relaxed) || (parent?.isStopRequested ?? false) }
}
