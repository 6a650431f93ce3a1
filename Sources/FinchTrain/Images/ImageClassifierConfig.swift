import FinchVision
import Foundation

/// `config.json` of an image classifier folder (next to `model.safetensors`, whose keys are
/// PyTorch's): the architecture, the classes in output order and how images are read.
public struct ImageClassifierConfig: Codable, Equatable, Sendable {
    /// The file name inside a model folder.
    public static let fileName = "config.json"
    /// What `finch_task` holds for an image classifier.
    public static let taskName = "image-classification"

    /// Always `image-classification`: tells this folder from a text model's.
    public var finchTask: String
    /// The network.
    public var architecture: ImageArchitecture
    /// Class names, in the order of the logits.
    public var classes: [String]
    /// Color mode, input size and normalisation.
    public var preprocessing: ImagePreprocessing

    enum CodingKeys: String, CodingKey {
        case architecture, classes
        case finchTask = "finch_task"
        case colorMode = "color_mode"
        case imageSize = "image_size"
        case mean, std
    }

    /// A configuration.
    public init(architecture: ImageArchitecture, classes: [String], preprocessing: ImagePreprocessing) {
        finchTask = Self.taskName
        self.architecture = architecture
        self.classes = classes
        self.preprocessing = preprocessing
    }

    /// Reads the fields, flat as in a Hugging Face config (`image_size` is `[height, width]`).
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        finchTask = try c.decode(String.self, forKey: .finchTask)
        architecture = try c.decode(ImageArchitecture.self, forKey: .architecture)
        classes = try c.decode([String].self, forKey: .classes)
        let size = try c.decode([Int].self, forKey: .imageSize)
        guard size.count == 2, size.allSatisfy({ $0 > 0 }) else {
            throw DecodingError.dataCorruptedError(forKey: .imageSize, in: c, debugDescription: "image_size must be [height, width]")
        }
        let mode = try c.decode(ImageColorMode.self, forKey: .colorMode)
        let mean = try c.decode([Float].self, forKey: .mean), std = try c.decode([Float].self, forKey: .std)
        guard mean.count == mode.channels, std.count == mode.channels, std.allSatisfy({ $0 > 0 }) else {
            throw DecodingError.dataCorruptedError(
                forKey: .std, in: c, debugDescription: "mean and std need one value per channel, std positive")
        }
        preprocessing = ImagePreprocessing(colorMode: mode, height: size[0], width: size[1], mean: mean, std: std)
    }

    /// Writes the fields flat.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(finchTask, forKey: .finchTask)
        try c.encode(architecture, forKey: .architecture)
        try c.encode(classes, forKey: .classes)
        try c.encode(preprocessing.colorMode, forKey: .colorMode)
        try c.encode([preprocessing.height, preprocessing.width], forKey: .imageSize)
        try c.encode(preprocessing.mean, forKey: .mean)
        try c.encode(preprocessing.std, forKey: .std)
    }

    /// True when `directory` holds an image classifier's `config.json`.
    public static func isImageClassifier(at directory: URL) -> Bool {
        guard let data = try? Data(contentsOf: directory.appendingPathComponent(fileName)),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else { return false }
        return object["finch_task"] as? String == taskName
    }
}
