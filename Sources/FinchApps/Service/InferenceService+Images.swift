import FinchTrain
import FinchVision
import Foundation

extension InferenceService {
    /// Class probabilities per encoded image (PNG or JPEG bytes), decoded in the model's color
    /// mode before they are queued; a bad image throws its `ImageError` (named by `names`)
    /// and nothing is queued.
    public static func classifyImages(
        _ encoded: [[UInt8]], names: [String], model: ServedModel
    ) async throws -> InferenceResult<[ClassPrediction]> {
        guard case .imageClassifier(let batcher) = model.engine, let preprocessing = model.imagePreprocessing else {
            throw RegistryError.wrongKind(name: model.name, kind: model.kind, expected: "an image classifier")
        }
        var timing = InferenceTiming()
        let start = Date()
        let images = try zip(encoded, names).map { bytes, name throws(ImageError) in
            try Image(decoding: bytes, as: preprocessing.colorMode, file: name)
        }
        timing.tokenizationSeconds = Date().timeIntervalSince(start)
        let (predictions, batch) = try await batcher.submit(images, lengths: images.map { _ in 1 })
        timing.add(batch)
        return InferenceResult(value: predictions, truncated: [], timing: timing, tokens: 0)
    }
}
