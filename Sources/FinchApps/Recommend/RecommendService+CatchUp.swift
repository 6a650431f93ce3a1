import Foundation

/// Several instances on one store: each holds its own serving state, and events acknowledged by
/// another instance reach it here. `catchUp()` (every few seconds, from the server's sync service)
/// folds in the events stored after the state's last one; a write through this instance folds in the
/// events it missed before its own (`eventsMissed(before:)`), so a state never skips a sequence
/// number another instance took.
extension RecommendService {
    /// Folds in the events stored since the serving state's last one (those other instances
    /// acknowledged) and returns how many; 0 before the first `load`. Rebuilds the state first when
    /// the active version changed.
    @discardableResult
    public func catchUp() async throws -> Int {
        try await reloadIfVersionChanged()
        guard servedVersion != nil else { return 0 }
        // The cheap check first: nothing to read while no instance stored an event.
        let last = try await repository.lastEventSequence()
        guard let through = state.withLock({ $0?.appliedThrough }), last > through else { return 0 }
        return try await writes.run {
            guard let through = state.withLock({ $0?.appliedThrough }) else { return 0 }
            let missed = try await repository.events(after: through)
            guard !missed.isEmpty else { return 0 }
            try withState { s in _ = try s.apply(missed, settings: settings) }
            return missed.count
        }
    }

    /// The stored events between the serving state's last one and `stored` (a batch this instance
    /// just appended), in sequence order: the ones another instance acknowledged meanwhile. Empty
    /// when the batch follows the state directly. Call inside `writes`.
    func eventsMissed(before stored: [RecommendEventRecord]) async throws -> [RecommendEventRecord] {
        guard let first = stored.first?.sequence, let through = state.withLock({ $0?.appliedThrough }), first > through + 1
        else { return [] }
        return try await repository.events(after: through).filter { $0.sequence < first }
    }
}
