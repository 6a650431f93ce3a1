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
            from the baseline; factor models: cosine between the items' factor vectors), and "reasons": \
            readable reasons {"kind", "text", "items", "contribution"} naming items of the user's history \
            ("because you rated X highly", "similar to what you read about X", "popular in Category"). \
            A hybrid model (train --hybrid) ranks by its blend and adds "source": personal, cold_start_user \
            or popular (a user the model does not know gets popular items).
            """
    )

    @Option(help: "Model directory.") var model: String
    @Option(help: "User id.") var user: String
    @OptionGroup var topK: TopKOption<RecommendedItems>
    @Flag(help: "Give the reasons behind each recommendation.") var explain = false
    @Option(help: "Reasons per item with --explain.") var reasons = 3

    func validate() throws {
        guard reasons >= 0 else { throw ValidationError("--reasons must be 0 or more, got \(reasons)") }
    }

    func run() throws {
        let url = URL(fileURLWithPath: model)
        if HybridModel.exists(in: url) {
            try runHybrid(url)
            return
        }
        let loaded = try RecommenderModel.load(from: url)
        let list = try loaded.recommend(user: user, count: topK.topK, reasons: explain ? reasons : 0)
        let online: OnlineRecommender? = try explain ? Self.online(loaded) : nil
        for r in list {
            try RecommendTerminal.printJSON(
                TopLine(
                    user: user, item: r.item, score: RecommendTerminal.number(r.score), rank: r.rank, source: nil,
                    because: explain ? r.reasons.map { ReasonJSON(item: $0.item, weight: RecommendTerminal.number($0.weight)) } : nil,
                    reasons: try online.map { try $0.explain(user: user, item: r.item, count: reasons).map(ReadableReasonJSON.init) }))
        }
    }

    /// The serving state of a saved plain model (its training data as history).
    static func online(_ model: RecommenderModel, catalog: [CatalogItem] = [], hybrid: HybridModel? = nil) throws -> OnlineRecommender {
        var options = OnlineOptions()
        let type = model.feedback == .explicit ? "rating" : "interaction"
        options.eventWeights = EventWeights(weights: ["interaction": 1])
        if let scale = model.ratingScale, model.feedback == .explicit {
            options.eventWeights.positiveRating = scale.lower + 0.75 * (scale.upper - scale.lower)
        }
        options.personalAfter = 1
        let history = InteractionEvent.events(of: model, type: type)
        if let hybrid { return try OnlineRecommender(hybrid: hybrid, history: history, catalog: catalog, options: options) }
        return try OnlineRecommender(model: model, history: history, catalog: catalog, options: options)
    }

    /// Ranks with a saved hybrid: its blend, its fallbacks, its reasons.
    private func runHybrid(_ url: URL) throws {
        let (hybrid, catalog) = try HybridModel.load(from: url)
        let online = try Self.online(hybrid.model, catalog: catalog, hybrid: hybrid)
        let served = online.recommend(user: user, query: RecommendationQuery(count: topK.topK, reasons: explain ? reasons : 0))
        for (rank, item) in served.items.enumerated() {
            try RecommendTerminal.printJSON(
                TopLine(
                    user: user, item: item.item, score: RecommendTerminal.number(item.score), rank: rank + 1,
                    source: served.source.rawValue, because: nil,
                    reasons: explain ? item.reasons.map(ReadableReasonJSON.init) : nil))
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
    let source: String?
    let because: [ReasonJSON]?
    let reasons: [ReadableReasonJSON]?
}

/// `{"kind", "text", "items", "category"?, "contribution"}`.
struct ReadableReasonJSON: Encodable {
    let kind: String
    let text: String
    let items: [String]
    let category: String?
    let contribution: Double

    init(_ reason: ExplanationReason) {
        kind = reason.kind.rawValue
        text = reason.text
        items = reason.items
        category = reason.category
        contribution = RecommendTerminal.number(reason.contribution)
    }
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
