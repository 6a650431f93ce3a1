import FinchNN
import FinchSupport
import FinchTensor
import FinchVision
import Foundation

/// The recipe behind `finch train image`: read the image lists, decode and scale every image
/// once, measure the normalisation, build the network and train it on the `Trainer`.
public enum ImageTraining {
    /// Trains an image classifier; `decoding` reports (images done, total) while images are read.
    public static func train(
        _ r: ImageTrainingRequest, stop: StopSignal = StopSignal(), decoding: (Int, Int) -> Void = { _, _ in },
        events: (TrainingEvent) -> Void = { _ in }
    ) throws -> ImageTrainingResult {
        try r.training.validate()
        guard TrainingMetric.classification.contains(r.training.metricForBestModel) else {
            throw TrainingError.invalidConfiguration(
                setting: .metric,
                reason: "'\(r.training.metricForBestModel.rawValue)' is not reported by an image classifier; choose one of "
                    + TrainingMetric.classification.map(\.rawValue).joined(separator: ", "))
        }
        if let size = r.imageSize, size < 4 {
            throw ImageTrainingError.invalidSetting(setting: "--image-size", reason: "must be at least 4, got \(size)")
        }
        var notes: [String] = []
        let trainSet = try ImageDataset.load(r.data)
        let devSet = try r.dev.map { try ImageDataset.load($0, classes: trainSet.classes) }

        let first = try Image(contentsOfFile: trainSet.samples[0].path)
        let mode = r.colorMode ?? first.colorMode
        let (height, width) = r.imageSize.map { ($0, $0) } ?? (first.height, first.width)
        if r.architecture == .lenet && height != width {
            throw ImageTrainingError.nonSquareInput(file: trainSet.samples[0].path, height: height, width: width)
        }
        if r.colorMode == nil { notes.append("color mode \(mode.rawValue), as the first training image") }
        if r.imageSize == nil { notes.append("input size \(height)x\(width), as the first training image") }
        let scaling = ImagePreprocessing(
            colorMode: mode, height: height, width: width, mean: Array(repeating: 0, count: mode.channels),
            std: Array(repeating: 1, count: mode.channels))

        let total = trainSet.samples.count + (devSet?.samples.count ?? 0)
        var trainImages = try trainSet.decode(scaling) { done, _ in decoding(done, total) }
        var trainLabels = trainSet.samples.map(\.label)
        var devImages: [Tensor] = [], devLabels: [Int] = []
        let development: DevelopmentSource
        if let devSet {
            devImages = try devSet.decode(scaling) { done, _ in decoding(trainSet.samples.count + done, total) }
            devLabels = devSet.samples.map(\.label)
            development = .file(devSet.source)
        } else {
            let names = trainSet.classes
            let split = try HoldOutSplit(
                Array(zip(trainImages, trainLabels)), fraction: r.holdOut, seed: r.training.seed, file: r.data,
                stratifyBy: { names[$0.1] })
            (trainImages, trainLabels) = (split.train.map(\.0), split.train.map(\.1))
            (devImages, devLabels) = (split.dev.map(\.0), split.dev.map(\.1))
            development = .heldOut(trainingFile: r.data, fraction: r.holdOut, seed: r.training.seed, count: devImages.count)
        }

        let (mean, std) = r.normalization ?? measure(trainImages, channels: mode.channels)
        if r.normalization == nil {
            let show = { (v: [Float]) in v.map { String(format: "%.4f", $0) }.joined(separator: ", ") }
            notes.append("normalization measured on the training images: mean [\(show(mean))], std [\(show(std))]")
        }
        let preprocessing = ImagePreprocessing(colorMode: mode, height: height, width: width, mean: mean, std: std)
        let config = ImageClassifierConfig(architecture: r.architecture, classes: trainSet.classes, preprocessing: preprocessing)
        let classifier = ImageClassifier(config: config, seed: r.training.seed)
        let task = ImageClassificationTask(classifier: classifier, augmentation: r.augmentation, seed: r.training.seed)
        let train = zip(trainImages, trainLabels).enumerated().map { ImageExample(image: $1.0, label: $1.1, index: $0) }
        let dev = zip(devImages, devLabels).enumerated().map { ImageExample(image: $1.0, label: $1.1, index: $0) }
        let trainer = try Trainer(task: task, configuration: r.training, train: train, dev: dev, outputDirectory: r.outputDirectory)
        let summary = try trainer.run(resume: r.resume, stop: stop, events: events)
        var counts: [String: Int] = [:]
        for label in trainLabels { counts[trainSet.classes[label], default: 0] += 1 }
        return ImageTrainingResult(
            summary: summary, development: development, trainExamples: train.count, classCounts: counts, config: config,
            notes: notes)
    }

    /// Per-channel mean and population standard deviation of every pixel of `images`
    /// (`[C, H, W]` each), in Double; a constant channel gets std 1.
    public static func measure(_ images: [Tensor], channels: Int) -> (mean: [Float], std: [Float]) {
        var sum = [Double](repeating: 0, count: channels), squares = sum
        var count = 0
        for image in images {
            let plane = image.shape[1] * image.shape[2]
            count += plane
            image.withUnsafeBufferPointer { p in
                for c in 0..<channels {
                    var s = 0.0, q = 0.0
                    for i in (c * plane)..<((c + 1) * plane) {
                        let v = Double(p[i])
                        s += v
                        q += v * v
                    }
                    sum[c] += s
                    squares[c] += q
                }
            }
        }
        let n = Double(Swift.max(count, 1))
        let mean = sum.map { $0 / n }
        let std = zip(squares, mean).map { q, m -> Double in
            let v = Swift.max(q / n - m * m, 0).squareRoot()
            return v > 1e-6 ? v : 1
        }
        return (mean.map { Float($0) }, std.map { Float($0) })
    }
}
