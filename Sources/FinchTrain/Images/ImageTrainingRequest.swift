import FinchVision
import Foundation

/// Everything `finch train image` asks for, as one value.
public struct ImageTrainingRequest: Sendable {
    /// Training images: a folder per class (`train/cat/*.png`) or a CSV list `path,label`.
    public var data: String
    /// Development images in either layout; nil holds out `holdOut` of `data` (stratified).
    public var dev: String?
    /// Where the model, checkpoint, metrics and curves go.
    public var outputDirectory: URL
    /// The network.
    public var architecture = ImageArchitecture.lenet
    /// Input height and width (square); nil: the first training image's size.
    public var imageSize: Int?
    /// Gray or RGB; nil: gray when the first training image is gray, else RGB.
    public var colorMode: ImageColorMode?
    /// Per-channel mean and std; nil: measured on the training images (all pixels, population std).
    public var normalization: (mean: [Float], std: [Float])?
    /// Random crop and flip while training.
    public var augmentation = ImageAugmentation.none
    /// Optimizer, schedule, evaluation and checkpoint settings.
    public var training = TrainingConfiguration()
    /// Fraction held out when there is no dev set.
    public var holdOut = 0.1
    /// Whether to continue from the checkpoint in `outputDirectory`.
    public var resume = ResumeMode.fresh

    /// A request with the defaults for everything but the data and the output folder.
    public init(data: String, outputDirectory: URL) {
        self.data = data
        self.outputDirectory = outputDirectory
    }
}

/// How an image training run ended, with what the CLI reports and the model card records.
public struct ImageTrainingResult: Sendable {
    /// How the Trainer's run ended.
    public var summary: TrainingSummary
    /// Where the development images came from.
    public var development: DevelopmentSource
    /// Images trained on.
    public var trainExamples: Int
    /// Training images per class.
    public var classCounts: [String: Int]
    /// The model's configuration (classes, preprocessing).
    public var config: ImageClassifierConfig
    /// Automatic choices made, in words.
    public var notes: [String]
}
