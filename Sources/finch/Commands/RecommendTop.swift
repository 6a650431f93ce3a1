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
    @OptionGroup var topK: TopKOption<RecommendedItems>
    @Flag(help: "Name the rated items behind each recommendation.") var explain = false
    @Option(help: "Reasons per item with --explain.") var reasons = 3

    func validate() throws {
        guard reasons >= 0 else { throw ValidationError("--reasons must be 0 or more, got \(reasons)") }
    }

    func run() throws {
        let loaded = try RecommenderModel.load(from: URL(fileURLWithPath: model))
        for r in try loaded.recommend(user: user, count: topK.topK, reasons: explain ? reasons : 0) {
            try RecommendTerminal.printJSON(
                TopLine(
                    user: user, item: r.item, score: RecommendTerminal.number(r.score), rank: r.rank,
                    because: explain ? r.reasons.map { ReasonJSON(item: $0.item, weight: RecommendTerminal.number($0.weight)) } : nil))
        }
    }
}

/// `--top-k` of `recommend top` and `similar`: 10 items.
enum RecommendedItems: TopKDefault {
    static let defaultValue = 10
    static let counted = "items"
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
    @OptionGroup var topK: TopKOption<RecommendedItems>

    func run() throws {
        let loaded = try RecommenderModel.load(from: URL(fileURLWithPath: model))
        for r in try loaded.similarItems(to: item, count: topK.topK) {
            try RecommendTerminal.printJSON(
                SimilarLine(item: item, similar: r.item, score: RecommendTerminal.number(r.score), rank: r.rank))
        }
    }
}

struct SimilarLine: Encodable {
    let item: String
    let similar: String
    let score: Double
    let rank: Int
}
