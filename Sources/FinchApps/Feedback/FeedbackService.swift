import Foundation

/// Accepts, stores and lists feedback. A submission is checked against the
/// model it corrects (a classifier's labels, a tagger's entity types, spans
/// inside the text), its text passes the stored-text gate (PII redaction),
/// and the text is dropped when the named user's consent keeps no texts for
/// training. `submit` returns after the store committed the record. An
/// accepted assistant answer is handed to the assistant sink at once.
public final class FeedbackService: Sendable {
    let store: any FeedbackRepository
    let registry: ModelRegistry?
    let storedText: StoredTextRedaction
    let consent: (any ConsentLookup)?
    let assistant: (any AssistantFeedbackSink)?

    /// - Parameters:
    ///   - registry: checks models, labels and entity types (nil: not checked).
    ///   - consent: asked for named users (nil: texts are kept).
    ///   - assistant: receives accepted query→entry pairs (nil: none wired).
    public init(
        store: any FeedbackRepository, registry: ModelRegistry?, storedText: StoredTextRedaction,
        consent: (any ConsentLookup)? = nil, assistant: (any AssistantFeedbackSink)? = nil
    ) {
        self.store = store
        self.registry = registry
        self.storedText = storedText
        self.consent = consent
        self.assistant = assistant
    }

    /// What `submit` did.
    public struct Receipt: Sendable {
        /// The record as stored.
        public var record: FeedbackRecord
        /// Whether the query became an alternative of the entry at once.
        public var alternativeAdded: Bool
    }

    /// Checks and stores `submission` from the key `keyID`, about `user` when given.
    /// - Throws: `FeedbackError` for bad input, `RegistryError` for an unknown
    ///   model or one of the wrong kind, and the store's and the sink's errors.
    public func submit(_ submission: FeedbackSubmission, user: String?, keyID: String, at date: Date = Date()) async throws -> Receipt {
        try check(submission)
        if let user, user.isEmpty || user.count > 256 {
            throw FeedbackError.invalid(field: "user", reason: "user must be 1–256 characters")
        }
        var keepText = true
        if let user, let consent { keepText = try await consent.consent(user: user).storeTextsForTraining }
        var record = FeedbackRecord(
            id: UUID().uuidString.lowercased(), kind: submission.kind, model: nil, collection: nil, input: nil, label: nil,
            entities: nil, entry: nil, user: user, keyID: keyID, createdAt: date)
        switch submission {
        case let .classification(model, input, label):
            record.model = model
            record.label = label
            record.input = keepText ? try storedText.apply(input) : nil
        case let .entities(model, input, entities):
            record.model = model
            if keepText {
                let (text, spans) = try storedText.applyKeepingSpans(input, spans: entities)
                record.input = text
                record.entities = spans
            } else {
                record.entities = entities
            }
        case let .answer(collection, query, entry):
            record.collection = collection
            record.entry = entry
            record.input = keepText ? try storedText.apply(query) : nil
        }
        try await store.insertFeedback(record)
        var added = false
        if let assistant, let collection = record.collection, let entry = record.entry, let query = record.input {
            try await assistant.addAlternative(collection: collection, entry: entry, query: query)
            added = true
        }
        return Receipt(record: record, alternativeAdded: added)
    }

    /// The feedback `query` selects, oldest first.
    public func list(_ query: FeedbackQuery) async throws -> [FeedbackRecord] { try await store.feedback(query) }

    /// Checks a submission against itself and the registry.
    func check(_ submission: FeedbackSubmission) throws {
        func nonEmpty(_ value: String, _ field: String) throws {
            if value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                throw FeedbackError.invalid(field: field, reason: "\(field) must not be empty")
            }
        }
        switch submission {
        case let .classification(model, input, label):
            try nonEmpty(input, "input")
            try nonEmpty(label, "label")
            guard let registry else { return }
            let served = try registry.model(named: model)
            guard served.kind == .classifier else {
                throw RegistryError.wrongKind(name: model, kind: served.kind, expected: "a classifier")
            }
            let known = served.labels ?? []
            if !known.contains(label) { throw FeedbackError.unknownLabel(model: model, label: label, known: known) }
        case let .entities(model, input, entities):
            try nonEmpty(input, "input")
            let length = input.unicodeScalars.count
            for (i, span) in entities.enumerated() {
                guard span.start >= 0, span.start < span.end, span.end <= length else {
                    throw FeedbackError.invalid(
                        field: "entities[\(i)]",
                        reason: "entities[\(i)]: [\(span.start), \(span.end)) is not a span of the \(length)-character input")
                }
                try nonEmpty(span.type, "entities[\(i)].type")
            }
            guard let registry else { return }
            let served = try registry.model(named: model)
            guard served.kind == .tagger else { throw RegistryError.wrongKind(name: model, kind: served.kind, expected: "a tagger") }
            let types = Set(
                (served.labels ?? []).compactMap { $0.count > 2 && $0.dropFirst().first == "-" ? String($0.dropFirst(2)) : nil })
            for (i, span) in entities.enumerated() where !types.contains(span.type) {
                throw FeedbackError.invalid(
                    field: "entities[\(i)].type",
                    reason:
                        "entities[\(i)].type \"\(span.type)\" is not an entity type of model \"\(model)\" (\(types.sorted().joined(separator: ", ")))"
                )
            }
        case let .answer(collection, query, entry):
            try nonEmpty(collection, "collection")
            try nonEmpty(query, "query")
            if let entry { try nonEmpty(entry, "entry") }
            try assistant?.checkEntry(collection: collection, entry: entry)
        }
    }
}
