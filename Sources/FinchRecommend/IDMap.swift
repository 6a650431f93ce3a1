/// A two-way map between external identifiers (strings as they appear in a
/// ratings file) and dense indices `0..<count`.
///
/// Indices are assigned in order of first insertion, so a file's first user is
/// user 0 — the same order Surprise gives its inner ids, which makes the
/// per-user SGD order of `svd`/`svdpp` identical to Surprise's for the same
/// file. Invariant: `ids[index(of: id)!] == id` for every stored id.
public struct IDMap: Sendable, Equatable, Codable {
    /// External ids in index order.
    public private(set) var ids: [String]
    private var lookup: [String: Int32]

    /// An empty map.
    public init() {
        ids = []
        lookup = [:]
    }

    /// A map holding `ids` in that order.
    /// - Throws: `RecommendError.duplicateIdentifier` when an id repeats.
    public init(ids: [String]) throws {
        self.init()
        lookup.reserveCapacity(ids.count)
        self.ids.reserveCapacity(ids.count)
        for id in ids {
            if lookup[id] != nil { throw RecommendError.duplicateIdentifier(id) }
            lookup[id] = Int32(self.ids.count)
            self.ids.append(id)
        }
    }

    /// Number of ids.
    public var count: Int { ids.count }

    /// The dense index of `id`, or nil when it was never inserted.
    public func index(of id: String) -> Int? {
        lookup[id].map(Int.init)
    }

    /// The external id at `index` (which must be in `0..<count`).
    public subscript(index: Int) -> String { ids[index] }

    /// The index of `id`, inserting it at the end when new.
    /// - Returns: the index and whether the id was new.
    @discardableResult
    public mutating func insert(_ id: String) -> (index: Int, inserted: Bool) {
        if let i = lookup[id] { return (Int(i), false) }
        let i = ids.count
        lookup[id] = Int32(i)
        ids.append(id)
        return (i, true)
    }

    /// Decodes from a plain JSON array of ids.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        try self.init(ids: container.decode([String].self))
    }

    /// Encodes as a plain JSON array of ids.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(ids)
    }

    /// Maps equal when they hold the same ids in the same order.
    public static func == (lhs: IDMap, rhs: IDMap) -> Bool { lhs.ids == rhs.ids }
}
