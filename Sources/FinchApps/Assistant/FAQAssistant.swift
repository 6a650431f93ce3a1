import FinchTensor

/// Another entry shown beside the answer.
public struct AssistantSuggestion: Codable, Sendable, Equatable {
    /// The entry's id.
    public var entry: String
    /// Its question.
    public var question: String
    /// Its fused score.
    public var score: Double
}

/// The assistant's reply to one query.
public struct AssistantAnswer: Codable, Sendable, Equatable {
    /// The answer of the top entry (nil when nothing matched).
    public var answer: String?
    /// The top entry's id.
    public var entry: String?
    /// Its position in the collection.
    public var position: Int?
    /// Its fused score.
    public var score: Double
    /// Calibrated probability that it is right.
    public var confidence: Double
    /// The next entries of the ranking (up to three).
    public var alternatives: [AssistantSuggestion]
    /// Whether the query goes to a person.
    public var handoff: Bool
    /// Why, when it does.
    public var reason: String?

    /// A reply with every field given.
    public init(
        answer: String?, entry: String?, position: Int?, score: Double, confidence: Double, alternatives: [AssistantSuggestion],
        handoff: Bool, reason: String?
    ) {
        self.answer = answer
        self.entry = entry
        self.position = position
        self.score = score
        self.confidence = confidence
        self.alternatives = alternatives
        self.handoff = handoff
        self.reason = reason
    }

    /// The reply to a blank query: nothing to match, handed off.
    public static let blank = AssistantAnswer(
        answer: nil, entry: nil, position: nil, score: 0, confidence: 0, alternatives: [], handoff: true,
        reason: HandoffReason.noMatch.description)
}

/// Everything a collection's assistant is configured with (stored with it).
public struct AssistantSettings: Codable, Sendable, Equatable {
    /// Retrieval and fusion.
    public var retrieval = RetrievalOptions()
    /// When to hand off.
    public var handoff = HandoffPolicy()
    /// How the confidence was fitted.
    public var calibration = CalibrationOptions()

    /// The defaults.
    public init() {}
}

/// An FAQ collection ready to answer: its texts' vectors, BM25 statistics,
/// calibrated confidence and hand-off policy. Immutable; a changed collection
/// is a new assistant.
public final class FAQAssistant: Sendable {
    /// The entries.
    public let collection: FAQCollection
    /// The searchable texts, in the order of the dense rows.
    public let texts: [FAQText]
    /// Dense and BM25 retrieval.
    public let retriever: HybridRetriever
    /// The confidence model.
    public let calibration: AssistantCalibration
    /// Settings, the hand-off policy included.
    public let settings: AssistantSettings

    /// An assistant from parts already computed (a stored collection read back).
    /// `rows` are the vectors of `FAQText.texts(of: collection, answers: settings.retrieval.indexAnswers)`.
    public init(
        collection: FAQCollection, rows: [Float], dimension: Int, settings: AssistantSettings, calibration: AssistantCalibration
    ) {
        self.collection = collection
        self.settings = settings
        self.calibration = calibration
        texts = FAQText.texts(of: collection, answers: settings.retrieval.indexAnswers)
        retriever = HybridRetriever(
            dense: DenseFAQIndex(owners: texts.map(\.entry), entryCount: collection.count, rows: rows, dimension: dimension),
            lexical: LexicalFAQIndex(texts: texts, entryCount: collection.count), options: settings.retrieval)
    }

    init(
        collection: FAQCollection, texts: [FAQText], retriever: HybridRetriever, settings: AssistantSettings,
        calibration: AssistantCalibration
    ) {
        self.collection = collection
        self.texts = texts
        self.retriever = retriever
        self.settings = settings
        self.calibration = calibration
    }

    /// The same assistant handing off by `policy`.
    public func with(policy: HandoffPolicy) -> FAQAssistant {
        var settings = self.settings
        settings.handoff = policy
        return FAQAssistant(collection: collection, texts: texts, retriever: retriever, settings: settings, calibration: calibration)
    }

    /// Embeds the collection's texts with `encoder` (in blocks, `progress`
    /// told the number done) and fits the confidence on held-out texts.
    public static func build(
        collection: FAQCollection, encoder: any SentenceEncoder, settings: AssistantSettings = AssistantSettings(),
        progress: (_ done: Int, _ total: Int) -> Void = { _, _ in }
    ) throws -> FAQAssistant {
        let texts = FAQText.texts(of: collection, answers: settings.retrieval.indexAnswers)
        var rows: [Float] = []
        rows.reserveCapacity(texts.count * encoder.dimension)
        var start = 0
        while start < texts.count {
            let end = Swift.min(start + 256, texts.count)
            let block = try encoder.encode(texts[start..<end].map(\.text))
            rows.append(contentsOf: block.scalars)
            start = end
            progress(end, texts.count)
        }
        let dense = DenseFAQIndex(owners: texts.map(\.entry), entryCount: collection.count, rows: rows, dimension: encoder.dimension)
        let calibration = AssistantCalibrator.calibrate(
            texts: texts, dense: dense, options: settings.retrieval, calibration: settings.calibration)
        return FAQAssistant(collection: collection, rows: rows, dimension: encoder.dimension, settings: settings, calibration: calibration)
    }

    /// Vector width.
    public var dimension: Int { retriever.dense.dimension }

    /// The retrieval of a query given as its vector and text.
    public func retrieve(vector: [Float], query: String, mode: RetrievalMode = .hybrid) -> Retrieval {
        retriever.retrieve(vector: vector, terms: LexicalTokenizer.terms(query), mode: mode)
    }

    /// The reply to a query given as its vector and text, handed off by `policy`
    /// (the collection's own when nil).
    public func answer(vector: [Float], query: String, policy: HandoffPolicy? = nil) -> AssistantAnswer {
        reply(to: retrieve(vector: vector, query: query), policy: policy ?? settings.handoff)
    }

    /// The reply to `query`, embedded with `encoder` (the model the collection was built with).
    public func ask(_ query: String, encoder: any SentenceEncoder) throws -> AssistantAnswer {
        answer(vector: try encoder.encode([query]).scalars, query: query)
    }

    /// The reply for a retrieval.
    public func reply(to retrieval: Retrieval, policy: HandoffPolicy) -> AssistantAnswer {
        let confidence = calibration.confidence(retrieval)
        let reason = policy.decide(confidence: confidence, margin: ConfidenceFeatures.margin(retrieval))
        let top = retrieval.ranking.first
        return AssistantAnswer(
            answer: top.map { collection.entries[$0].answer }, entry: top.map { collection.entries[$0].id }, position: top,
            score: top.map { retrieval.fused[$0] } ?? 0, confidence: confidence,
            alternatives: retrieval.ranking.dropFirst().prefix(3).map {
                AssistantSuggestion(entry: collection.entries[$0].id, question: collection.entries[$0].question, score: retrieval.fused[$0])
            },
            handoff: reason != nil, reason: reason?.description)
    }
}
