import FinchSupport
import Foundation

/// What a recommender's top-k lists do to the catalogue and to each group
/// of users (`finch recommend audit`): catalogue coverage, Gini index of
/// exposure, average recommendation popularity and long-tail share
/// (`ExposureStatistics`), and NDCG@k and recall@k against held-out
/// interactions, overall and per group, with the gaps between groups.
///
/// The audited users are those of the held-out file the model knows; each
/// gets the model's top k items among those they did not interact with in
/// training. Every held-out interaction counts as relevant.
public struct RecommenderAudit: Sendable, Equatable, Codable {
    /// The file an audit is kept in, in the model folder (the model card reads it from there).
    public static let fileName = "recommender_audit.json"

    /// The algorithm audited.
    public var algorithm: String
    /// The cut-off k.
    public var k: Int
    /// Items in the model's catalogue.
    public var catalogueItems: Int
    /// Items in the head (`ExposureStatistics.head`), and the share of interactions it holds by definition.
    public var headItems: Int
    /// The users' column the groups come from, nil without groups.
    public var groupColumn: String?
    /// Users of the held-out file the model does not know (not audited).
    public var unknownUsers: Int
    /// Audited users without a row in the users file (in `overall`, in no group).
    public var usersWithoutGroup: Int
    /// Everyone audited.
    public var overall: RecommenderGroupMetrics
    /// Per group, groups in lexicographic order.
    public var groups: [RecommenderGroupMetrics]
    /// Largest minus smallest NDCG@k between groups (0 with fewer than two).
    public var ndcgDifference: Double
    /// Largest minus smallest recall@k between groups.
    public var recallDifference: Double

    enum CodingKeys: String, CodingKey {
        case algorithm, k, overall, groups
        case catalogueItems = "catalogue_items"
        case headItems = "head_items"
        case groupColumn = "group_column"
        case unknownUsers = "unknown_users"
        case usersWithoutGroup = "users_without_group"
        case ndcgDifference = "ndcg_difference"
        case recallDifference = "recall_difference"
    }

    /// Audits `model` against the held-out interactions `test`.
    ///
    /// - Parameters:
    ///   - groups: user id → group; nil audits everyone as one group.
    ///   - groupColumn: the column `groups` came from (named in the report).
    /// - Throws: `RecommendError.invalidSplit` when no user of `test` is known to the model.
    public init(model: RecommenderModel, test: RatingDataset, groups: [String: String]? = nil, groupColumn: String? = nil, k: Int = 10)
        throws
    {
        let data = model.recommender.trainingData
        let catalogue = model.items.count
        let popularity = (0..<catalogue).map { $0 < data.itemCount ? data.byItem.count(ofRow: $0) : 0 }
        let inHead = ExposureStatistics.head(popularity: popularity)
        var relevantByUser = [[Int]](repeating: [], count: test.users.count)
        var unknownItems: [String: Int] = [:]
        for p in 0..<test.count {
            let id = test.items[Int(test.itemIndices[p])]
            let index =
                model.items.index(of: id)
                ?? {
                    if let i = unknownItems[id] { return i }
                    unknownItems[id] = catalogue + unknownItems.count
                    return unknownItems[id]!
                }()
            relevantByUser[Int(test.userIndices[p])].append(index)
        }
        var ids: [String] = [], lists: [[Int]] = [], relevant: [[Int]] = []
        var unknown = 0
        for u in 0..<test.users.count {
            let id = test.users[u]
            guard let m = model.users.index(of: id), data.knowsUser(m) else {
                unknown += 1
                continue
            }
            let top = try model.recommend(user: id, count: k)
            ids.append(id)
            lists.append(top.compactMap { model.items.index(of: $0.item) })
            relevant.append(relevantByUser[u])
        }
        guard !ids.isEmpty else {
            throw RecommendError.invalidSplit(reason: "no user of the held-out file is known to the model")
        }
        algorithm = model.algorithm.rawValue
        self.k = k
        catalogueItems = catalogue
        headItems = inHead.filter { $0 }.count
        self.groupColumn = groupColumn
        unknownUsers = unknown
        overall = RecommenderGroupMetrics(
            group: "overall", lists: lists, relevant: relevant, popularity: popularity, inHead: inHead, k: k)
        var members: [String: [Int]] = [:]
        var without = 0
        if let groups {
            for (n, id) in ids.enumerated() {
                if let g = groups[id] { members[g, default: []].append(n) } else { without += 1 }
            }
        }
        usersWithoutGroup = without
        self.groups = members.keys.sorted().map { g in
            let n = members[g]!
            return RecommenderGroupMetrics(
                group: g, lists: n.map { lists[$0] }, relevant: n.map { relevant[$0] }, popularity: popularity, inHead: inHead, k: k)
        }
        func spread(_ values: [Double]) -> Double { values.count < 2 ? 0 : values.max()! - values.min()! }
        ndcgDifference = spread(self.groups.map(\.ndcg))
        recallDifference = spread(self.groups.map(\.recall))
    }

    /// The audit as pretty JSON (keys sorted).
    public func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    /// The audit kept in `directory`, nil when it has none.
    ///
    /// - Throws: `RecommendError.modelFile` naming a file that is not an audit.
    public static func readIfPresent(in directory: URL) throws -> RecommenderAudit? {
        let url = directory.appendingPathComponent(fileName)
        guard let data = FileManager.default.contents(atPath: url.path) else { return nil }
        do { return try JSONDecoder().decode(RecommenderAudit.self, from: data) } catch {
            throw RecommendError.modelFile(path: url.path, reason: "not the JSON of `finch recommend audit` (\(error))")
        }
    }

    /// The per-group table's header and rows (overall first).
    public var table: (header: [String], rows: [[String]]) {
        let header = [groupColumn ?? "group", "users", "coverage", "gini", "avg popularity", "long-tail share", "NDCG@\(k)", "recall@\(k)"]
        let rows = ([overall] + groups).map { m in
            [m.group, String(m.users)] + [m.coverage, m.gini, m.averagePopularity, m.longTailShare, m.ndcg, m.recall].map(Self.format)
        }
        return (header, rows)
    }

    /// What the figures mean, in one paragraph (the report's and the card's).
    public var definitions: String {
        "Top-\(k) lists of \(overall.users) users (\(unknownUsers) users of the held-out file unknown to the model). Coverage: "
            + "distinct recommended items ÷ \(catalogueItems) catalogue items. Gini: of the items' exposure (lists showing each item). "
            + "Average popularity: mean training interactions of a list's items, averaged over users. Long tail: the items outside the "
            + "head, the \(headItems) most-interacted items that hold 80 % of training interactions."
    }

    /// A table for people, then the gaps and the definitions.
    public var report: String {
        let (header, rows) = table
        let widths = header.indices.map { c in ([header] + rows).map { $0[c].count }.max() ?? 0 }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { c, cell in
                c == 0
                    ? cell.padding(toLength: widths[0], withPad: " ", startingAt: 0)
                    : String(repeating: " ", count: widths[c] - cell.count) + cell
            }.joined(separator: "  ")
        }
        var out = "Recommender audit of \(algorithm)" + (groupColumn.map { " by \($0)" } ?? "") + "\n\n"
        out += line(header) + "\n"
        for row in rows { out += line(row) + "\n" }
        if !groups.isEmpty {
            out += "\nNDCG@\(k) difference between groups    \(Self.format(ndcgDifference))\n"
            out += "recall@\(k) difference between groups  \(Self.format(recallDifference))\n"
            if usersWithoutGroup > 0 { out += "\(usersWithoutGroup) audited users have no row in the users file\n" }
        }
        out += "\n" + definitions + "\n"
        return out
    }

    static func format(_ value: Double) -> String { String(format: "%.4f", value) }
}
