import FinchNN
import FinchSupport
import FinchTensor
import FinchVision
import Foundation

/// A trained image classifier: the network, its classes and its preprocessing, as
/// `finch train image` writes it (`config.json` + `model.safetensors` with PyTorch's keys).
public final class ImageClassifier {
    /// Architecture, classes and preprocessing.
    public let config: ImageClassifierConfig
    /// The network.
    public let network: ImageNetwork
    /// Images per forward pass when predicting.
    public var batchSize = 64

    /// A classifier over a network built for `config`.
    public init(config: ImageClassifierConfig, network: ImageNetwork) {
        self.config = config
        self.network = network
    }

    /// A new, randomly initialised classifier (square inputs: `height` must equal `width`
    /// for LeNet).
    public convenience init(config: ImageClassifierConfig, seed: UInt64) {
        var rng = FinchRNG(seed: seed)
        let p = config.preprocessing
        let network = config.architecture.build(
            channels: p.colorMode.channels, size: p.height, classes: config.classes.count, rng: &rng)
        self.init(config: config, network: network)
    }

    /// Loads a folder written by `save(to:)`, strictly (every weight, right shapes).
    public static func load(_ directory: URL) throws -> ImageClassifier {
        let url = directory.appendingPathComponent(ImageClassifierConfig.fileName)
        let config: ImageClassifierConfig
        do {
            config = try JSONDecoder().decode(ImageClassifierConfig.self, from: Data(contentsOf: url))
        } catch let error as DecodingError {
            throw ImageTrainingError.invalidConfig(file: url.path, reason: CheckpointStore.explain(error))
        }
        let classifier = ImageClassifier(config: config, seed: 0)
        try VisionCheckpoint.load(classifier.network.module, from: directory.appendingPathComponent("model.safetensors"))
        classifier.network.module.eval()
        return classifier
    }

    /// Writes `config.json` and `model.safetensors` into `directory`.
    public func save(to directory: URL) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try AtomicFile.write(encoder.encode(config), to: directory.appendingPathComponent(ImageClassifierConfig.fileName))
        try VisionCheckpoint.save(network.module, to: directory.appendingPathComponent("model.safetensors"))
    }

    /// Class probabilities `[N, classes]` of scaled images (`[C, H, W]` in [0, 1], from
    /// `ImagePreprocessing.scaled`), normalised here; eval mode, no gradients.
    public func probabilities(scaled images: [Tensor]) -> Tensor {
        let c = config.classes.count
        let normalize = config.preprocessing.normalization
        var out = [Float]()
        out.reserveCapacity(images.count * c)
        network.module.eval()
        withoutGradient {
            var start = 0
            while start < images.count {
                let end = Swift.min(start + batchSize, images.count)
                let batch = ImageBatch.stack(images[start..<end].map { normalize($0) })
                out += network(batch).softmax().scalars
                start = end
            }
        }
        return Tensor(shape: [images.count, c], values: out)
    }

    /// Predictions for decoded images (any size; resized to the model's input).
    public func classify(_ images: [Image]) -> [ClassPrediction] {
        let p = config.preprocessing
        let scaled = images.map { image in
            p.scaled(image.channels == p.colorMode.channels ? image : Self.convert(image, to: p.colorMode))
        }
        let probs = probabilities(scaled: scaled).scalars
        let c = config.classes.count
        return (0..<images.count).map { i in
            let row = Array(probs[(i * c)..<((i + 1) * c)])
            let best = row.indices.max { row[$0] < row[$1] }!
            var scores: [String: Double] = [:]
            for (j, name) in config.classes.enumerated() { scores[name] = Double(row[j]) }
            return ClassPrediction(label: config.classes[best], labels: nil, score: Double(row[best]), scores: scores)
        }
    }

    /// Decodes image bytes (PNG or JPEG) in the model's color mode and classifies them; `names`
    /// name the images in errors.
    public func classify(encoded: [[UInt8]], names: [String]) throws -> [ClassPrediction] {
        let mode = config.preprocessing.colorMode
        let images = try zip(encoded, names).map { bytes, name throws(ImageError) in try Image(decoding: bytes, as: mode, file: name) }
        return classify(images)
    }

    /// Reads and classifies image files.
    public func classify(files: [String]) throws -> [ClassPrediction] {
        let mode = config.preprocessing.colorMode
        return classify(try files.map { path throws(ImageError) in try Image(contentsOfFile: path, as: mode) })
    }

    /// An image converted between gray and RGB as the decoder does (Pillow's rules).
    static func convert(_ image: Image, to mode: ImageColorMode) -> Image {
        let n = image.height * image.width
        var pixels = [UInt8](repeating: 0, count: n * mode.channels)
        for i in 0..<n {
            if mode == .gray {
                let r = UInt32(image.pixels[3 * i]), g = UInt32(image.pixels[3 * i + 1]), b = UInt32(image.pixels[3 * i + 2])
                pixels[i] = UInt8((r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16)
            } else {
                for k in 0..<3 { pixels[3 * i + k] = image.pixels[i] }
            }
        }
        return Image(height: image.height, width: image.width, channels: mode.channels, pixels: pixels)
    }
}
