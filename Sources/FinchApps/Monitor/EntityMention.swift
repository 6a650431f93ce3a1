/// One mention of an entity in a document: where it is (`[start, end)` in
/// Unicode scalars of the stored text), the entity it counts for, and who found it.
public struct EntityMention: Codable, Sendable, Equatable, Hashable {
    /// Who found a mention.
    public enum Origin: String, Codable, Sendable, Hashable {
        /// An alias of the watchlist matched.
        case watchlist
        /// The tagger found it (normalized to a watchlist entity when an alias matches its text).
        case tagger
    }

    /// The entity it counts for: the watchlist name, or the tagged text for an
    /// entity the watchlist does not know.
    public var entity: String
    /// The text as written.
    public var text: String
    /// The tagger's entity type (`ORG`), nil for a watchlist match.
    public var type: String?
    public var start: Int
    public var end: Int
    public var origin: Origin

    public init(entity: String, text: String, type: String?, start: Int, end: Int, origin: Origin) {
        self.entity = entity
        self.text = text
        self.type = type
        self.start = start
        self.end = end
        self.origin = origin
    }
}
