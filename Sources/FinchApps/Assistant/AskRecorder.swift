import Synchronization

/// Group commit for asks: every `record` returns after its ask is committed, and the asks that
/// arrive while a transaction is being written go together into the next one. Under concurrent
/// load that is one commit (one fsync with SQLite's synchronous=FULL) per round instead of one per
/// ask, while each reply still waits for its own ask to be durable.
final class AskRecorder: Sendable {
    private struct State {
        var pending: [(ask: AssistantAskRecord, done: CheckedContinuation<Void, any Error>)] = []
        var writing = false
    }

    private let store: any AssistantRepository
    private let state = Mutex(State())

    init(store: any AssistantRepository) {
        self.store = store
    }

    /// Stores `ask`; returns once the transaction holding it has committed.
    func record(_ ask: AssistantAskRecord) async throws {
        try await withCheckedThrowingContinuation { (done: CheckedContinuation<Void, any Error>) in
            let startWriter = state.withLock { s -> Bool in
                s.pending.append((ask, done))
                if s.writing { return false }
                s.writing = true
                return true
            }
            if startWriter { Task { await self.writeRounds() } }
        }
    }

    /// Writes what is pending, round after round, until nothing is.
    private func writeRounds() async {
        while true {
            let batch = state.withLock { s -> [(ask: AssistantAskRecord, done: CheckedContinuation<Void, any Error>)] in
                let batch = s.pending
                s.pending = []
                if batch.isEmpty { s.writing = false }
                return batch
            }
            if batch.isEmpty { return }
            do {
                try await store.insertAsks(batch.map(\.ask))
                for item in batch { item.done.resume() }
            } catch {
                for item in batch { item.done.resume(throwing: error) }
            }
        }
    }
}
