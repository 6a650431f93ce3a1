import Foundation

/// Which stored documents to list: every filter that is set must match.
/// `from` is inclusive, `to` exclusive (document times).
public struct MonitorDocumentQuery: Sendable, Equatable {
    /// Documents that count for this entity (`ScoredDocument.entities`).
    public var entity: String?
    public var topic: String?
    public var from: Date?
    public var to: Date?
    public var sentiment: SentimentPolarity?
    /// Only these ids.
    public var ids: [String]?
    /// At most this many (the newest); nil: all.
    public var limit: Int?

    public init(
        entity: String? = nil, topic: String? = nil, from: Date? = nil, to: Date? = nil, sentiment: SentimentPolarity? = nil,
        ids: [String]? = nil, limit: Int? = nil
    ) {
        self.entity = entity
        self.topic = topic
        self.from = from
        self.to = to
        self.sentiment = sentiment
        self.ids = ids
        self.limit = limit
    }

    /// Whether `d` passes the filters (limit aside).
    public func matches(_ d: ScoredDocument) -> Bool {
        if let entity, !d.mentions.contains(where: { $0.entity == entity }) { return false }
        if let topic, d.topic != topic { return false }
        if let from, d.time < from { return false }
        if let to, d.time >= to { return false }
        if let sentiment, d.polarity != sentiment { return false }
        if let ids, !ids.contains(d.id) { return false }
        return true
    }

    /// Listing order: newest first, ties by id.
    public static func newestFirst(_ a: ScoredDocument, _ b: ScoredDocument) -> Bool {
        a.time != b.time ? a.time > b.time : a.id < b.id
    }
}

/// Which buckets to read: one kind of series, one name or all, bucket starts in `[from, to)`.
public struct BucketQuery: Sendable, Equatable {
    public var kind: SeriesKind
    /// nil: every series of the kind.
    public var name: String?
    public var from: Date?
    public var to: Date?

    public init(kind: SeriesKind, name: String? = nil, from: Date? = nil, to: Date? = nil) {
        self.kind = kind
        self.name = name
        self.from = from
        self.to = to
    }

    /// Whether `key` passes the filters.
    public func matches(_ key: BucketKey) -> Bool {
        key.kind == kind && (name == nil || key.name == name) && (from.map { key.start >= $0 } ?? true)
            && (to.map { key.start < $0 } ?? true)
    }
}

/// Which alerts to list: every filter that is set must match; newest bucket first.
public struct AlertQuery: Sendable, Equatable {
    public var state: Alert.State?
    public var rule: String?
    public var entity: String?
    /// Alerts whose bucket starts in `[from, to)`.
    public var from: Date?
    public var to: Date?
    public var limit: Int?

    public init(
        state: Alert.State? = nil, rule: String? = nil, entity: String? = nil, from: Date? = nil, to: Date? = nil, limit: Int? = nil
    ) {
        self.state = state
        self.rule = rule
        self.entity = entity
        self.from = from
        self.to = to
        self.limit = limit
    }

    /// Whether `a` passes the filters (limit aside).
    public func matches(_ a: Alert) -> Bool {
        (state == nil || a.state == state) && (rule == nil || a.rule == rule) && (entity == nil || a.entity == entity)
            && (from.map { a.bucketStart >= $0 } ?? true) && (to.map { a.bucketStart < $0 } ?? true)
    }

    /// Listing order: newest bucket first, ties by id.
    public static func newestFirst(_ a: Alert, _ b: Alert) -> Bool {
        a.bucketStart != b.bucketStart ? a.bucketStart > b.bucketStart : a.id < b.id
    }
}
