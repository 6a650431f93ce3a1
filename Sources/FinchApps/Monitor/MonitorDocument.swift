import Foundation

/// One text that enters a monitor: a news item, a post, a review. `id` is the
/// client's identifier; ingest is idempotent on it.
public struct MonitorDocument: Codable, Sendable, Equatable {
    public var id: String
    public var text: String
    /// When the text was published (it decides the bucket).
    public var time: Date
    /// Where it came from ("newswire", "twitter", …), when given.
    public var source: String?
    /// A link to the original, when given.
    public var url: String?

    public init(id: String, text: String, time: Date, source: String? = nil, url: String? = nil) {
        self.id = id
        self.text = text
        self.time = time
        self.source = source
        self.url = url
    }
}
