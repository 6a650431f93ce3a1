import ArgumentParser
import FinchRecommend
import Foundation

/// `finch recommend top`: a user's top-k items as JSON lines.
struct RecommendTop: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "top",
        abstract: "Recommend the top k unseen items for a user (one JSON object per line).",
        discussion: """
            Each line: {"user", "item", "score", "rank"}; with --explain also "because": the user's rated \
            items that contributed most, with their weight (item-KNN: the neighbour's share of the deviation \
            from the baseline; factor models: cosine between the items' factor vectors).
            """
    )

    @Option(help: "Model directory.") var model: String
    @Option(help: "User id.") var user: String
    @Option(name: .short, help: "Number of items.") var k = 10
    @Flag(help: "Name the rated items behind each recommendation.") var explain = false
    @Option(help: "Reasons per item with --explain.") var reasons = 3

    func validate() throws {
        guard k >= 1 else { throw ValidationError("-k must be at least 1, got \(k)") }
        guard reasons >= 0 else { throw ValidationError("--reasons must be 0 or more, got \(reasons)") }
    }

    func run() throws {
        let loaded = try RecommenderModel.load(from: URL(fileURLWithPath: model))
        for r in try loaded.recommend(user: user, count: k, reasons: explain ? reasons : 0) {
            try RecommendTerminal.printJSON(
                TopLine(
                    user: user, item: r.item, score: RecommendTerminal.number(r.score), rank: r.rank,
                    because: explain ? r.reasons.map { ReasonJSON(item: $0.item, weight: RecommendTerminal.number($0.weight)) } : nil))
        }
    }
}

struct ReasonJSON: Encodable {
    let item: String
    let weight: Double
}

struct TopLine: Encodable {
    let user: String
    let item: String
    let score: Double
    let rank: Int
    let because: [ReasonJSON]?
}

/// `finch recommend similar`: an item's nearest items as JSON lines.
struct RecommendSimilar: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "similar",
        abstract: "The k items most similar to an item (one JSON object per line).",
        discussion: """
            Each line: {"item", "similar", "score", "rank"}. Similarity: item-KNN's similarity matrix, the \
            cosine between item factors for factor models, co-occurrence cosine for baseline and popular.
            """
    )

    @Option(help: "Model directory.") var model: String
    @Option(help: "Item id.") var item: String
    @Option(name: .short, help: "Number of items.") var k = 10

    func validate() throws {
        guard k >= 1 else { throw ValidationError("-k must be at least 1, got \(k)") }
    }

    func run() throws {
        let loaded = try RecommenderModel.load(from: URL(fileURLWithPath: model))
        for r in try loaded.similarItems(to: item, count: k) {
            try RecommendTerminal.printJSON(SimilarLine(item: item, similar: r.item, score: RecommendTerminal.number(r.score), rank: r.rank))
        }
    }
}

struct SimilarLine: Encodable {
    let item: String
    let similar: String
    let score: Double
    let rank: Int
}
