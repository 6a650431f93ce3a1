import FinchRecommend
import Foundation

extension RecommendRetraining {
    /// Builds the new version from every event and saves it to `out`: a hybrid
    /// again when the old folder holds one (its blend refitted, with the old
    /// version's item texts and the stored items' embeddings and catalogue),
    /// else a plain model of the old algorithm and hyperparameters.
    public static func buildAndSave(
        _ data: RatingDataset, old: RecommenderModel, oldFolder: URL, items: [RecommendItemRecord], settings: RecommendSettings,
        to out: URL
    ) throws {
        guard HybridModel.exists(in: oldFolder) else {
            let built = try RecommenderModel.train(data, algorithm: old.algorithm, parameters: old.recommender.parameters)
            try built.save(to: out)
            return
        }
        let (previous, catalog) = try HybridModel.load(from: oldFolder)
        var vectors: [String: [Float]] = [:]
        for (i, id) in previous.model.items.ids.enumerated() { if let v = previous.embeddings.vector(i) { vectors[id] = v } }
        var merged: [String: CatalogItem] = [:]
        for item in catalog { merged[item.id] = item }
        for item in items where !(item.isPlaceholder && merged[item.id] != nil) {
            if let e = item.embedding { vectors[item.id] = e }
            merged[item.id] = CatalogItem(
                id: item.id, title: item.title, categories: item.categories, isAvailable: item.available, embedding: item.embedding)
        }
        var options = HybridTrainingOptions()
        options.eventWeights = settings.eventWeights
        options.halfLife = previous.scorer.halfLife
        let hybrid = try HybridTrainer.build(
            data, algorithm: old.algorithm, parameters: old.recommender.parameters, embeddings: vectors, options: options)
        try hybrid.save(to: out, catalog: merged.values.sorted { $0.id < $1.id })
    }
}
