import FinchSupport
import Foundation

/// The reply to one ask with the record stored for it.
public struct AssistantAskReply: Sendable {
    /// What the assistant answers.
    public var answer: AssistantAnswer
    /// What was stored (its id is the hand-off's id when handed off).
    public var ask: AssistantAskRecord
}

extension AssistantService {
    /// Answers `query` from collection `name` with its hybrid retrieval, confidence and hand-off
    /// policy, and stores the ask in `session` — the query through the stored-text redaction, or
    /// without its text when `user`'s consent does not allow keeping texts. `arrival` is when the
    /// request came in (the stored latency runs from it to the answer).
    public func ask(_ query: String, session: String, user: String?, in name: String, arrival: Date = Date()) async throws
        -> AssistantAskReply
    {
        let served = try collection(named: name)
        let answer: AssistantAnswer
        if query.trimmingWhitespace.isEmpty || served.entries.isEmpty {
            answer = .blank
        } else {
            let vectors = try await embedding([served.record.prefix + query], served.record.model)
            guard let vector = vectors.first, vector.count == served.assistant.dimension else {
                throw AssistantServiceError.dimensionMismatch(
                    collection: name, stored: served.assistant.dimension, model: vectors.first?.count ?? 0)
            }
            answer = served.assistant.answer(vector: vector, query: query)
        }
        let latency = Date().timeIntervalSince(arrival) * 1000
        var keepText = true
        if let user, let consent { keepText = try await consent.consent(user: user).storeTextsForTraining }
        let record = AssistantAskRecord(
            id: UUID().uuidString.lowercased(), collection: name, session: session, user: user,
            query: keepText ? try storedText.apply(query) : nil, entry: answer.entry,
            shown: (answer.entry.map { [$0] } ?? []) + answer.alternatives.map(\.entry), confidence: answer.confidence,
            handoff: answer.handoff, reason: answer.reason, latencyMilliseconds: latency, createdAt: Self.storableDate(arrival))
        try await store.insertAsk(record)
        return AssistantAskReply(answer: answer, ask: record)
    }

    /// The asks of one session of a collection, oldest first.
    public func session(_ id: String, in name: String) async throws -> [AssistantAskRecord] {
        _ = try collection(named: name)
        return try await store.asks(collection: name, session: id)
    }

    /// The hand-offs of a collection waiting for a person, oldest first.
    public func openHandoffs(in name: String) async throws -> [AssistantAskRecord] {
        _ = try collection(named: name)
        return try await store.openHandoffs(collection: name)
    }

    /// Records the answer a person gave to an open hand-off.
    public func resolveHandoff(_ id: String, in name: String, answer: String, at date: Date = Date()) async throws {
        _ = try collection(named: name)
        guard try await store.resolveHandoff(id: id, collection: name, answer: answer, at: Self.storableDate(date)) else {
            throw AssistantServiceError.unknownHandoff(collection: name, id: id)
        }
    }
}

/// Erasure of the assistant's sessions: every ask made for a user goes
/// (`DELETE /v1/users/{id}` calls it with the other erasers).
public struct AssistantSessionEraser: UserDataEraser {
    let store: any AssistantRepository

    /// An eraser of the asks in `store`.
    public init(store: any AssistantRepository) {
        self.store = store
    }

    public var dataName: String { "assistant_sessions" }

    public func eraseUser(_ user: String) async throws -> Int {
        try await store.deleteAsks(user: user)
    }
}
