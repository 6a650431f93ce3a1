import Foundation

/// A document as a monitor stores it: the (redacted) text with its sentiment,
/// topic and entity mentions.
public struct ScoredDocument: Codable, Sendable, Equatable {
    /// The document, its text redacted when redaction is on.
    public var document: MonitorDocument
    /// The sentiment classifier's top label.
    public var sentimentLabel: String
    public var polarity: SentimentPolarity
    /// P(positive labels) − P(negative labels), in [−1, 1]: what "mean score" averages.
    public var sentimentScore: Double
    /// The probability of `sentimentLabel`.
    public var confidence: Double
    /// The topic classifier's top label, when the monitor has one.
    public var topic: String?
    /// Mentions, in text order; one entity may be mentioned several times.
    public var mentions: [EntityMention]

    public init(
        document: MonitorDocument, sentimentLabel: String, polarity: SentimentPolarity, sentimentScore: Double, confidence: Double,
        topic: String?, mentions: [EntityMention]
    ) {
        self.document = document
        self.sentimentLabel = sentimentLabel
        self.polarity = polarity
        self.sentimentScore = sentimentScore
        self.confidence = confidence
        self.topic = topic
        self.mentions = mentions
    }

    public var id: String { document.id }
    public var time: Date { document.time }

    /// The distinct entities the document counts for, sorted: a document
    /// mentioning an entity three times counts once for it.
    public var entities: [String] { Array(Set(mentions.map(\.entity))).sorted() }

    enum CodingKeys: String, CodingKey {
        case id, text, time, source, url, polarity, confidence, topic, mentions, entities
        case sentimentLabel = "sentiment", sentimentScore = "score"
    }

    /// Flat JSON: the document's fields beside its scores, and `entities` for readers.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(document.id, forKey: .id)
        try c.encode(document.text, forKey: .text)
        try c.encode(document.time, forKey: .time)
        try c.encode(document.source, forKey: .source)
        try c.encode(document.url, forKey: .url)
        try c.encode(sentimentLabel, forKey: .sentimentLabel)
        try c.encode(polarity, forKey: .polarity)
        try c.encode(sentimentScore, forKey: .sentimentScore)
        try c.encode(confidence, forKey: .confidence)
        try c.encode(topic, forKey: .topic)
        try c.encode(mentions, forKey: .mentions)
        try c.encode(entities, forKey: .entities)
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        document = MonitorDocument(
            id: try c.decode(String.self, forKey: .id), text: try c.decode(String.self, forKey: .text),
            time: try c.decode(Date.self, forKey: .time), source: try c.decodeIfPresent(String.self, forKey: .source),
            url: try c.decodeIfPresent(String.self, forKey: .url))
        sentimentLabel = try c.decode(String.self, forKey: .sentimentLabel)
        polarity = try c.decode(SentimentPolarity.self, forKey: .polarity)
        sentimentScore = try c.decode(Double.self, forKey: .sentimentScore)
        confidence = try c.decode(Double.self, forKey: .confidence)
        topic = try c.decodeIfPresent(String.self, forKey: .topic)
        mentions = try c.decodeIfPresent([EntityMention].self, forKey: .mentions) ?? []
    }
}
