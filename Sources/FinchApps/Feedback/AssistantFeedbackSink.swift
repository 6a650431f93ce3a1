/// Where accepted assistant answers go at once: the query becomes a new
/// alternative phrasing of the entry, so the assistant answers it before any
/// retraining. The assistant's collection service conforms; the feedback
/// service calls it when one is wired.
public protocol AssistantFeedbackSink: Sendable {
    /// Adds `query` as an alternative of `entry` in `collection` (stored and
    /// indexed before it returns).
    func addAlternative(collection: String, entry: String, query: String) async throws
}
