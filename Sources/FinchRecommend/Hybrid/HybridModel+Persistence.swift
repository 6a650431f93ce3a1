import FinchNN
import FinchSupport
import FinchTensor
import Foundation

/// The manifest `hybrid.json` next to a saved recommender.
struct HybridManifest: Codable {
    var format = "finch-hybrid"
    var version = 1
    var weights: HybridWeights
    var halfLife: Double?
    var candidateDepth: Int?
    var sampleCount: Int
    var positiveCount: Int
    var catalog: [CatalogEntry]

    enum CodingKeys: String, CodingKey {
        case format, version, weights, catalog
        case halfLife = "half_life_seconds", candidateDepth = "candidate_depth", sampleCount = "sample_count", positiveCount =
            "positive_count"
    }
}

/// A catalogue item as saved (its embedding lives in `item_text.safetensors`).
struct CatalogEntry: Codable {
    var id: String
    var title: String
    var categories: [String]
    var available: Bool
}

/// Saving a hybrid as the recommender's model directory plus two files:
///
///     DIR/hybrid.json              the blend, the half-life, the catalogue (ids, titles, categories)
///     DIR/item_text.safetensors    "embeddings" [items, dimension] (unit rows, by item index)
///                                  and "present" [items] (1 where the item has text)
///
/// Popularity is not stored: it is the training data's events per item.
extension HybridModel {
    static let manifestName = "hybrid.json"
    static let embeddingsName = "item_text.safetensors"

    /// The files a saved hybrid adds to a recommender's directory.
    public static let fileNames = [manifestName, embeddingsName]

    /// Saves to `directory` (see `RecommenderModel.save`), with the catalogue's
    /// titles and categories.
    /// - Throws: `RecommendError.modelFile`.
    public func save(to directory: URL, catalog: [CatalogItem]) throws {
        try model.save(to: directory)
        let n = embeddings.itemCount, d = embeddings.dimension
        let manifest = HybridManifest(
            weights: scorer.weights, halfLife: scorer.halfLife, candidateDepth: scorer.candidateDepth, sampleCount: sampleCount,
            positiveCount: positiveCount,
            catalog: catalog.map { CatalogEntry(id: $0.id, title: $0.title, categories: $0.categories, available: $0.isAvailable) })
        do {
            try Safetensors.write(
                [
                    "embeddings": Tensor(shape: [n, d], values: embeddings.vectors),
                    "present": Tensor(shape: [n], values: embeddings.present.map { $0 ? 1 : 0 }),
                ], metadata: ["format": "finch-hybrid"], to: directory.appendingPathComponent(Self.embeddingsName))
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            try AtomicFile.write(encoder.encode(manifest), to: directory.appendingPathComponent(Self.manifestName))
        } catch let error as RecommendError {
            throw error
        } catch {
            throw RecommendError.modelFile(path: directory.path, reason: "\(error)")
        }
    }

    /// True when `directory` holds a saved hybrid.
    public static func exists(in directory: URL) -> Bool {
        FileManager.default.fileExists(atPath: directory.appendingPathComponent(manifestName).path)
    }

    /// Loads a hybrid saved by `save(to:catalog:)` and its catalogue (with the embeddings).
    /// - Throws: `RecommendError.modelFile` / `.corruptModel`.
    public static func load(from directory: URL) throws -> (model: HybridModel, catalog: [CatalogItem]) {
        let model = try RecommenderModel.load(from: directory)
        let manifest: HybridManifest
        do {
            manifest = try JSONDecoder().decode(HybridManifest.self, from: Data(contentsOf: directory.appendingPathComponent(manifestName)))
        } catch {
            throw RecommendError.modelFile(path: directory.path, reason: "\(manifestName) is missing or not a Finch hybrid manifest")
        }
        guard manifest.format == "finch-hybrid", manifest.version == 1, manifest.weights.weights.count == 3 else {
            throw RecommendError.modelFile(
                path: directory.path, reason: "unsupported hybrid format \(manifest.format) v\(manifest.version)")
        }
        var embeddings = ItemTextEmbeddings(itemCount: model.items.count)
        do {
            let file = try SafetensorsFile(contentsOf: directory.appendingPathComponent(embeddingsName))
            let vectors = try file.tensor(named: "embeddings")
            let present = try file.tensor(named: "present").scalars
            guard vectors.shape.count == 2, vectors.shape[0] == model.items.count, present.count == model.items.count else {
                throw RecommendError.corruptModel(reason: "\(embeddingsName) does not match the \(model.items.count) items")
            }
            let values = try ModelArrays(["embeddings": vectors.scalars]).floats("embeddings", count: vectors.shape[0] * vectors.shape[1])
            embeddings.dimension = vectors.shape[1]
            embeddings.vectors = values
            embeddings.present = present.map { $0 != 0 }
        } catch let error as RecommendError {
            throw error
        } catch {
            throw RecommendError.modelFile(path: directory.path, reason: "\(error)")
        }
        let data = model.recommender.trainingData
        let popularity = (0..<model.items.count).map { Float(data.byItem.count(ofRow: $0)) }
        let catalog = manifest.catalog.map { entry in
            CatalogItem(
                id: entry.id, title: entry.title, categories: entry.categories, isAvailable: entry.available,
                embedding: model.items.index(of: entry.id).flatMap { embeddings.vector($0) })
        }
        return (
            HybridModel(
                model: model, embeddings: embeddings, popularity: popularity,
                scorer: HybridScorer(weights: manifest.weights, halfLife: manifest.halfLife, candidateDepth: manifest.candidateDepth),
                sampleCount: manifest.sampleCount,
                positiveCount: manifest.positiveCount), catalog
        )
    }
}
