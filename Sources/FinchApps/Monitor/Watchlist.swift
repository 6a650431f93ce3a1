import Foundation

/// One watched entity: its canonical name (what trends and alerts are keyed
/// by) and the other ways texts write it (names, tickers, spellings in other
/// scripts). The name itself always counts as an alias.
public struct WatchlistEntity: Codable, Sendable, Equatable {
    public var name: String
    public var aliases: [String]

    public init(name: String, aliases: [String]) {
        self.name = name
        self.aliases = aliases
    }

    /// The name and the aliases, without repeats (compared case-insensitively), name first.
    public var allAliases: [String] {
        var seen = Set<String>(), out: [String] = []
        for a in [name] + aliases where !a.isEmpty && seen.insert(a.lowercased()).inserted { out.append(a) }
        return out
    }
}

/// The entities a monitor watches. Its JSON form is an object from entity
/// name to aliases, `{"Apple": ["AAPL", "Apple Inc.", "苹果"]}`; entities are
/// kept sorted by name so that every reading gives the same order.
public struct Watchlist: Sendable, Equatable {
    public var entities: [WatchlistEntity]

    public init(_ entities: [WatchlistEntity] = []) {
        self.entities = entities.sorted { $0.name < $1.name }
    }

    /// An empty watchlist.
    public static let empty = Watchlist()

    /// Throws `invalidConfig` naming `watchlist.NAME` for an empty name or alias.
    public func validate() throws(MonitorError) {
        var names = Set<String>()
        for e in entities {
            guard !e.name.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw .invalidConfig(field: "watchlist", reason: "an entity has an empty name")
            }
            guard names.insert(e.name).inserted else { throw .invalidConfig(field: "watchlist.\(e.name)", reason: "named twice") }
            for a in e.aliases where a.trimmingCharacters(in: .whitespaces).isEmpty {
                throw .invalidConfig(field: "watchlist.\(e.name)", reason: "an alias is empty")
            }
        }
    }
}

extension Watchlist: Codable {
    public init(from decoder: any Decoder) throws {
        let map = try decoder.singleValueContainer().decode([String: [String]].self)
        self.init(map.map { WatchlistEntity(name: $0.key, aliases: $0.value) })
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(Dictionary(entities.map { ($0.name, $0.aliases) }, uniquingKeysWith: { a, _ in a }))
    }
}
