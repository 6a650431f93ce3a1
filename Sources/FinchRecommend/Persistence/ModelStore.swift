import Foundation

/// The manifest `recommender.json` of a saved model directory.
struct ModelManifest: Codable {
    var format = "finch-recommender"
    var version = 1
    var algorithm: Algorithm
    var parameters: [String: String]
    var feedback: FeedbackKind
    var ratingScale: RatingScale?
    var users: IDMap
    var items: IDMap
    var coldStartItems: [Int]

    enum CodingKeys: String, CodingKey {
        case format, version, algorithm, parameters, feedback, users, items
        case ratingScale = "rating_scale", coldStartItems = "cold_start_items"
    }
}

/// Saving and loading models as a directory:
///
///     DIR/recommender.json       manifest: algorithm, hyperparameters, feedback,
///                                rating scale, user and item ids
///     DIR/arrays.safetensors     training ratings (CSR) and the learnt arrays
///
/// Saving writes a sibling temporary directory and renames it into place, so
/// a reader never sees a half-written model; an existing model is replaced.
extension RecommenderModel {
    static let manifestName = "recommender.json"
    static let arraysName = "arrays.safetensors"

    /// Saves to `directory` atomically.
    /// - Throws: `RecommendError.modelFile` when the directory cannot be written.
    public func save(to directory: URL) throws {
        let fm = FileManager.default
        let path = directory.path
        let manifest = ModelManifest(
            algorithm: algorithm, parameters: recommender.parameters, feedback: feedback, ratingScale: ratingScale,
            users: users, items: items, coldStartItems: coldStartItems.sorted())
        let data = recommender.trainingData
        var arrays: [String: ArchivedArray] = [
            "data.user_offsets": .int64(data.byUser.offsets.map(Int64.init)),
            "data.user_items": .int32(data.byUser.indices),
            "data.user_values": .float(data.byUser.values),
        ]
        for (name, array) in recommender.exportArrays() { arrays["model." + name] = array }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let parent = directory.deletingLastPathComponent()
        let token = UUID().uuidString.prefix(8)
        let temporary = parent.appendingPathComponent(".\(directory.lastPathComponent).partial-\(token)")
        let previous = parent.appendingPathComponent(".\(directory.lastPathComponent).old-\(token)")
        do {
            try fm.createDirectory(at: temporary, withIntermediateDirectories: true)
            try encoder.encode(manifest).write(to: temporary.appendingPathComponent(Self.manifestName))
            try SafetensorsArchive.encode(arrays, metadata: ["format": "finch-recommender"])
                .write(to: temporary.appendingPathComponent(Self.arraysName))
            var isDirectory: ObjCBool = false
            if fm.fileExists(atPath: path, isDirectory: &isDirectory) {
                guard isDirectory.boolValue else {
                    Self.removeTemporary(temporary)
                    throw RecommendError.modelFile(path: path, reason: "exists and is not a directory")
                }
                try fm.moveItem(at: directory, to: previous)
                try fm.moveItem(at: temporary, to: directory)
                try fm.removeItem(at: previous)
            } else {
                try fm.moveItem(at: temporary, to: directory)
            }
        } catch let error as RecommendError {
            throw error
        } catch {
            Self.removeTemporary(temporary)
            throw RecommendError.modelFile(path: path, reason: (error as NSError).localizedDescription)
        }
    }

    /// Best-effort removal of our own temporary directory after a failed
    /// save; the save's error is the one the caller needs, so a failure here
    /// is deliberately not reported.
    private static func removeTemporary(_ url: URL) {
        do { try FileManager.default.removeItem(at: url) } catch {}
    }

    /// Loads a model saved by `save(to:)`.
    /// - Throws: `RecommendError.modelFile` / `.corruptModel`.
    public static func load(from directory: URL) throws -> RecommenderModel {
        let path = directory.path
        let manifestData: Data, arrayData: Data
        do {
            manifestData = try Data(contentsOf: directory.appendingPathComponent(manifestName))
            arrayData = try Data(contentsOf: directory.appendingPathComponent(arraysName))
        } catch {
            throw RecommendError.modelFile(path: path, reason: "cannot read: \((error as NSError).localizedDescription)")
        }
        let manifest: ModelManifest
        do {
            manifest = try JSONDecoder().decode(ModelManifest.self, from: manifestData)
        } catch {
            throw RecommendError.modelFile(path: path, reason: "\(manifestName) is not a Finch recommender manifest: \(error)")
        }
        guard manifest.format == "finch-recommender", manifest.version == 1 else {
            throw RecommendError.modelFile(path: path, reason: "unsupported format \(manifest.format) v\(manifest.version)")
        }
        let (arrays, _) = try SafetensorsArchive.decode(arrayData, path: directory.appendingPathComponent(arraysName).path)
        let stored = ModelArrays(arrays)
        let offsets = try stored.int64s("data.user_offsets").map(Int.init)
        guard offsets.count == manifest.users.count + 1 else {
            throw RecommendError.corruptModel(reason: "rating rows (\(offsets.count - 1)) do not match the user ids (\(manifest.users.count))")
        }
        let rows = try SparseRows(
            offsets: offsets, indices: stored.int32s("data.user_items"),
            values: stored.floats("data.user_values", count: offsets.last ?? 0), columnCount: manifest.items.count)
        let data = RatingMatrix(itemCount: manifest.items.count, byUser: rows)
        var model = [String: ArchivedArray]()
        for (name, array) in arrays where name.hasPrefix("model.") { model[String(name.dropFirst(6))] = array }
        var recommender = try manifest.algorithm.makeRecommender(parameters: manifest.parameters)
        try recommender.restore(arrays: ModelArrays(model), trainingData: data)
        var result = RecommenderModel(
            recommender: recommender, users: manifest.users, items: manifest.items, feedback: manifest.feedback,
            ratingScale: manifest.ratingScale)
        for i in manifest.coldStartItems where i < 0 || i >= manifest.items.count {
            throw RecommendError.corruptModel(reason: "cold-start item \(i) out of range")
        }
        result.coldStartItems = Set(manifest.coldStartItems)
        return result
    }
}
