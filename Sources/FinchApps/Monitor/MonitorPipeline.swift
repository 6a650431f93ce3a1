import FinchTrain
import Foundation

/// A monitor's scoring path: redact each text, classify its sentiment (and
/// topic), tag it, and find its entities (watchlist aliases plus tagged
/// entities of the chosen types, normalized to watchlist entities when an
/// alias matches). One call scores a batch; each model sees the whole batch once.
public struct MonitorPipeline: Sendable {
    public let config: MonitorConfig
    public let sentiment: any DocumentClassifier
    public let topic: (any DocumentClassifier)?
    public let tagger: (any EntityTagger)?
    public let redaction: StoredTextRedaction
    let matcher: WatchlistMatcher
    let entityTypes: Set<String>

    public init(
        config: MonitorConfig, sentiment: any DocumentClassifier, topic: (any DocumentClassifier)? = nil,
        tagger: (any EntityTagger)? = nil, redaction: StoredTextRedaction = .off
    ) {
        self.config = config
        self.sentiment = sentiment
        self.topic = topic
        self.tagger = tagger
        self.redaction = redaction
        matcher = WatchlistMatcher(config.watchlist)
        entityTypes = Set(config.entityTypes)
    }

    /// Scores `documents` (their texts redacted first), in order.
    public func score(_ documents: [MonitorDocument]) async throws -> [ScoredDocument] {
        guard !documents.isEmpty else { return [] }
        var redacted = documents
        for i in redacted.indices { redacted[i].text = try redaction.apply(redacted[i].text) }
        let texts = redacted.map(\.text)
        let sentiments = try checked(await sentiment.classify(texts), model: sentiment.name, count: texts.count)
        var topics: [ClassPrediction]? = nil
        if let topic { topics = try checked(await topic.classify(texts), model: topic.name, count: texts.count) }
        var tagged: [[EntityPrediction]]? = nil
        if let tagger { tagged = try checked(await tagger.entities(in: texts), model: tagger.name, count: texts.count) }
        var out: [ScoredDocument] = []
        out.reserveCapacity(documents.count)
        for (i, d) in redacted.enumerated() {
            let p = sentiments[i]
            out.append(
                ScoredDocument(
                    document: d, sentimentLabel: p.label, polarity: try config.polarity(of: p.label), sentimentScore: try signedScore(p),
                    confidence: p.score, topic: topics?[i].label, mentions: mentions(in: d.text, tagged: tagged?[i] ?? [])))
        }
        return out
    }

    /// P(positive labels) − P(negative labels).
    func signedScore(_ p: ClassPrediction) throws(MonitorError) -> Double {
        var s = 0.0
        for (label, prob) in p.scores { s += try config.polarity(of: label).sign * prob }
        return s
    }

    /// Watchlist mentions and tagged entities of the chosen types, in text
    /// order; a watchlist mention inside a tagged span of the same entity is dropped.
    public func mentions(in text: String, tagged: [EntityPrediction]) -> [EntityMention] {
        var out: [EntityMention] = []
        for e in tagged where entityTypes.isEmpty || entityTypes.contains(e.label) {
            let name = matcher.entity(forTagged: e.text) ?? e.text.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !name.isEmpty else { continue }
            out.append(EntityMention(entity: name, text: e.text, type: e.label, start: e.start, end: e.end, origin: .tagger))
        }
        let fromTagger = out
        for m in matcher.mentions(in: text)
        where !fromTagger.contains(where: { $0.entity == m.entity && $0.start <= m.start && m.end <= $0.end }) {
            out.append(m)
        }
        return out.sorted { ($0.start, $0.end) < ($1.start, $1.end) }
    }

    func checked<T>(_ results: [T], model: String, count: Int) throws(MonitorError) -> [T] {
        guard results.count == count else { throw .modelMismatch(model: model, expected: count, got: results.count) }
        return results
    }
}
