import FinchNN
import FinchSupport
import FinchTensor
import Foundation

/// The manifest `recommender.json` of a saved model directory.
struct ModelManifest: Codable {
    var format = "finch-recommender"
    var version = 2
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
///                                rating scale, user and item ids (written last)
///     DIR/arrays.safetensors     training ratings (CSR: I64 offsets and item
///                                indices, F32 values) and the learnt F32 arrays,
///                                by FinchNN's safetensors writer
///
/// A save writes only these two files, each atomically (temporary file, then
/// rename), and touches nothing else in the directory. It refuses a directory
/// that holds anything but a Finch recommender model (a lock file aside), so
/// it never destroys what it did not write.
extension RecommenderModel {
    static let manifestName = "recommender.json"
    static let arraysName = "arrays.safetensors"

    /// Checks that `directory` may receive a model: absent, empty (but for an
    /// `OutputFolderLock` file), or a Finch recommender model already.
    /// - Throws: `RecommendError.modelFile` naming the directory otherwise.
    public static func checkOutputDirectory(_ directory: URL) throws {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: directory.path, isDirectory: &isDirectory) else { return }
        guard isDirectory.boolValue else {
            throw RecommendError.modelFile(path: directory.path, reason: "exists and is not a directory")
        }
        let names: [String]
        do {
            names = try fm.contentsOfDirectory(atPath: directory.path)
        } catch {
            throw RecommendError.modelFile(path: directory.path, reason: "cannot list the directory: \(SystemReason.describe(error))")
        }
        let others = names.filter { $0 != OutputFolderLock.fileName }
        if others.isEmpty || others.contains(manifestName) { return }
        throw RecommendError.modelFile(
            path: directory.path,
            reason: "is not empty and holds no Finch recommender model (\(others.count) other entr\(others.count == 1 ? "y" : "ies")); "
                + "refusing to write into it: choose a new or empty directory")
    }

    /// Saves to `directory` (created if needed), replacing only the model's own
    /// files, each atomically. Callers that may run concurrently hold an
    /// `OutputFolderLock` on `directory`.
    /// - Throws: `RecommendError.modelFile` when the directory is not a model
    ///   directory (see `checkOutputDirectory`) or cannot be written.
    public func save(to directory: URL) throws {
        try Self.checkOutputDirectory(directory)
        let path = directory.path
        let manifest = ModelManifest(
            algorithm: algorithm, parameters: recommender.parameters, feedback: feedback, ratingScale: ratingScale,
            users: users, items: items, coldStartItems: coldStartItems.sorted())
        let data = recommender.trainingData
        var floats: [String: Tensor] = ["data.user_values": Tensor(shape: [data.byUser.values.count], values: data.byUser.values)]
        for (name, array) in recommender.exportArrays() { floats["model." + name] = Tensor(shape: [array.count], values: array) }
        let integers = [
            "data.user_offsets": Int64Tensor(shape: [data.byUser.offsets.count], scalars: data.byUser.offsets.map(Int64.init)),
            "data.user_items": Int64Tensor(shape: [data.byUser.indices.count], scalars: data.byUser.indices.map(Int64.init)),
        ]
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try Safetensors.write(
                floats, integers: integers, metadata: ["format": "finch-recommender"], to: directory.appendingPathComponent(Self.arraysName)
            )
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            try AtomicFile.write(encoder.encode(manifest), to: directory.appendingPathComponent(Self.manifestName))
        } catch let error as RecommendError {
            throw error
        } catch let error as SafetensorsError {
            throw RecommendError.modelFile(path: path, reason: "\(error)")
        } catch let error as FileWriteError {
            throw RecommendError.modelFile(path: path, reason: "\(error)")
        } catch {
            throw RecommendError.modelFile(path: path, reason: SystemReason.describe(error))
        }
    }

    /// Loads a model saved by `save(to:)`.
    /// - Throws: `RecommendError.modelFile` / `.corruptModel` (including
    ///   learnt arrays that hold NaN or infinities).
    public static func load(from directory: URL) throws -> RecommenderModel {
        let path = directory.path
        let manifestURL = directory.appendingPathComponent(manifestName)
        let manifestData: Data
        do {
            manifestData = try Data(contentsOf: manifestURL)
        } catch {
            throw RecommendError.modelFile(path: path, reason: "cannot read \(manifestName): \(SystemReason.describe(error))")
        }
        let manifest: ModelManifest
        do {
            manifest = try JSONDecoder().decode(ModelManifest.self, from: manifestData)
        } catch {
            throw RecommendError.modelFile(path: path, reason: "\(manifestName) is not a Finch recommender manifest")
        }
        guard manifest.format == "finch-recommender", manifest.version == 2 else {
            throw RecommendError.modelFile(
                path: path, reason: "unsupported format \(manifest.format) v\(manifest.version) (retrain the model with this Finch)")
        }
        let stored: ModelArrays
        let offsets: [Int], indices: [Int64], values: [Float]
        do {
            let file = try SafetensorsFile(contentsOf: directory.appendingPathComponent(arraysName))
            var arrays: [String: [Float]] = [:]
            for name in file.names where name.hasPrefix("model.") {
                arrays[String(name.dropFirst(6))] = try file.tensor(named: name).scalars
            }
            stored = ModelArrays(arrays)
            offsets = try file.int64Tensor(named: "data.user_offsets").ints
            indices = try file.int64Tensor(named: "data.user_items").scalars
            values = try file.tensor(named: "data.user_values").scalars
        } catch let error as SafetensorsError {
            throw RecommendError.modelFile(path: path, reason: "\(error)")
        }
        guard offsets.count == manifest.users.count + 1 else {
            throw RecommendError.corruptModel(
                reason: "rating rows (\(offsets.count - 1)) do not match the user ids (\(manifest.users.count))")
        }
        guard indices.allSatisfy({ $0 >= 0 && $0 < Int64(manifest.items.count) }) else {
            throw RecommendError.corruptModel(reason: "a rated item index is outside the \(manifest.items.count) item ids")
        }
        guard values.count == offsets.last, firstNonFinite(values) == nil else {
            throw RecommendError.corruptModel(reason: "the stored ratings are inconsistent or not finite")
        }
        let rows = try SparseRows(
            offsets: offsets, indices: indices.map { Int32($0) }, values: values, columnCount: manifest.items.count)
        let data = RatingMatrix(itemCount: manifest.items.count, byUser: rows)
        var recommender = try manifest.algorithm.makeRecommender(parameters: manifest.parameters)
        try recommender.restore(arrays: stored, trainingData: data)
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
