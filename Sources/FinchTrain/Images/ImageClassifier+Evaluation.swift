import FinchTensor
import FinchVision

extension ImageClassifier {
    /// Accuracy, F1 averages, loss and scikit-learn's classification report on labelled images
    /// (a folder per class or a CSV list); every class must be one of the model's.
    public func evaluate(data path: String) throws -> Evaluation {
        let dataset = try ImageDataset.load(path, classes: config.classes)
        let images = try dataset.decode(config.preprocessing)
        let examples = zip(images, dataset.samples).enumerated().map { ImageExample(image: $1.0, label: $1.1.label, index: $0) }
        let task = ImageClassificationTask(classifier: self, augmentation: .none, seed: 0)
        network.module.eval()
        return try withoutGradient { try task.evaluate(examples) }
    }
}
