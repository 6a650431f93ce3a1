/// Where accepted assistant answers go at once: the query becomes a new
/// alternative phrasing of the entry, so the assistant answers it before any
/// retraining. The assistant's collection service conforms
/// (`AssistantService+FeedbackSink.swift`); the feedback service calls it when one is wired.
public protocol AssistantFeedbackSink: Sendable {
    /// Throws when `collection` does not exist, or `entry` (when given) is not one of its entries;
    /// called before the feedback is stored.
    func checkEntry(collection: String, entry: String?) throws
    /// Adds `query` as an alternative of `entry` in `collection` (stored and
    /// indexed before it returns).
    func addAlternative(collection: String, entry: String, query: String) async throws
}
