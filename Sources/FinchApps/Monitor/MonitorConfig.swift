import Foundation

/// A named monitor: the registered models its documents go through, how the
/// sentiment labels map to polarity, the entities it watches and the width
/// of its time buckets. JSON keys are snake_case (`sentiment_model`, …).
public struct MonitorConfig: Codable, Sendable, Equatable {
    /// The monitor's name (a path segment: letters, digits, `-`, `_`, `.`).
    public var name: String
    /// The registered sentiment classifier (a model name in the service; a
    /// folder for `finch monitor replay`).
    public var sentimentModel: String
    /// Classifier label → polarity. Labels not named here are guessed from
    /// their names (`SentimentPolarity.guess`); a label that cannot be guessed
    /// is an error when a document is scored.
    public var polarity: [String: SentimentPolarity]
    /// An optional topic classifier: its top label is the document's topic.
    public var topicModel: String?
    /// An optional tagger (NER) whose entities of `entityTypes` are counted.
    public var tagger: String?
    /// The entity types of the tagger that count (`["ORG"]`); empty means all.
    public var entityTypes: [String]
    public var watchlist: Watchlist
    public var bucket: BucketWidth

    public init(
        name: String, sentimentModel: String, polarity: [String: SentimentPolarity] = [:], topicModel: String? = nil,
        tagger: String? = nil, entityTypes: [String] = [], watchlist: Watchlist = .empty, bucket: BucketWidth = .hour
    ) {
        self.name = name
        self.sentimentModel = sentimentModel
        self.polarity = polarity
        self.topicModel = topicModel
        self.tagger = tagger
        self.entityTypes = entityTypes
        self.watchlist = watchlist
        self.bucket = bucket
    }

    enum CodingKeys: String, CodingKey {
        case name, polarity, tagger, watchlist, bucket
        case sentimentModel = "sentiment_model", topicModel = "topic_model", entityTypes = "entity_types"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        func required(_ key: CodingKeys) throws -> String {
            guard let v = try c.decodeIfPresent(String.self, forKey: key) else {
                throw MonitorError.invalidConfig(field: key.stringValue, reason: "missing")
            }
            return v
        }
        name = try required(.name)
        sentimentModel = try required(.sentimentModel)
        polarity = try c.decodeIfPresent([String: SentimentPolarity].self, forKey: .polarity) ?? [:]
        topicModel = try c.decodeIfPresent(String.self, forKey: .topicModel)
        tagger = try c.decodeIfPresent(String.self, forKey: .tagger)
        entityTypes = try c.decodeIfPresent([String].self, forKey: .entityTypes) ?? []
        watchlist = try c.decodeIfPresent(Watchlist.self, forKey: .watchlist) ?? .empty
        if let text = try c.decodeIfPresent(String.self, forKey: .bucket) {
            guard let width = BucketWidth(parsing: text) else {
                throw MonitorError.invalidConfig(field: "bucket", reason: "'\(text)' is not minute, hour or day")
            }
            bucket = width
        } else {
            bucket = .hour
        }
    }

    /// Throws `invalidConfig` naming the first field that does not hold.
    public func validate() throws(MonitorError) {
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-_."))
        guard !name.isEmpty, name.unicodeScalars.allSatisfy({ allowed.contains($0) && $0.isASCII }) else {
            throw .invalidConfig(field: "name", reason: "use letters, digits, '-', '_' or '.'")
        }
        guard !sentimentModel.isEmpty else { throw .invalidConfig(field: "sentiment_model", reason: "empty") }
        if let topicModel, topicModel.isEmpty { throw .invalidConfig(field: "topic_model", reason: "empty") }
        if let tagger, tagger.isEmpty { throw .invalidConfig(field: "tagger", reason: "empty") }
        if tagger == nil, !entityTypes.isEmpty { throw .invalidConfig(field: "entity_types", reason: "given without a tagger") }
        try watchlist.validate()
    }

    /// The polarity of a sentiment label: the configured one, else a guess from its name.
    public func polarity(of label: String) throws(MonitorError) -> SentimentPolarity {
        if let p = polarity[label] ?? SentimentPolarity.guess(label: label) { return p }
        throw .unmappedLabel(model: sentimentModel, label: label)
    }
}
