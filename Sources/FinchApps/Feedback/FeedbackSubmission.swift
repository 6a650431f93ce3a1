/// One correction as a client sends it (`POST /v1/feedback`), before it is
/// checked, redacted and stored.
public enum FeedbackSubmission: Sendable, Equatable {
    /// `input` should have been classified as `label` by `model`.
    case classification(model: String, input: String, label: String)
    /// `input` holds exactly `entities` for the tagger `model`.
    case entities(model: String, input: String, entities: [FeedbackSpan])
    /// `query` to the assistant `collection` is answered by `entry` (nil: none of its entries).
    case answer(collection: String, query: String, entry: String?)

    var kind: FeedbackKind {
        switch self {
        case .classification: .classification
        case .entities: .entities
        case .answer: .answer
        }
    }
}
