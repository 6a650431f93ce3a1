extension AssistantService: AssistantFeedbackSink {
    public func checkEntry(collection: String, entry: String?) throws {
        let served = try self.collection(named: collection)
        if let entry, !served.entries.contains(where: { $0.entry.id == entry }) {
            throw AssistantServiceError.unknownEntry(collection: collection, id: entry)
        }
    }

    /// Appends `query` to the entry's alternatives (unless it is already its question or one of
    /// them) through `upsert`, which embeds it, refits the confidence and commits.
    public func addAlternative(collection: String, entry: String, query: String) async throws {
        let served = try self.collection(named: collection)
        guard var target = served.entries.first(where: { $0.entry.id == entry })?.entry else {
            throw AssistantServiceError.unknownEntry(collection: collection, id: entry)
        }
        guard target.question != query && !target.alternatives.contains(query) else { return }
        target.alternatives.append(query)
        try await upsert([target], into: collection)
    }
}
