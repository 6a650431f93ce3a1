import FinchSupport
import Foundation

/// Where a run's development data came from, for the report's heading.
public enum DevelopmentSource: Equatable, Sendable {
    /// A separate file (`--dev`).
    case file(String)
    /// A seeded share of the training file, held out because no `--dev` was given.
    case heldOut(trainingFile: String, fraction: Double, seed: UInt64, count: Int)

    /// One line for the report: `dev: dev.csv` or `dev: 1243 examples (10 % of
    /// train.csv, seed 42) held out from training; no development file given`.
    public var summary: String {
        switch self {
        case .file(let name):
            return "dev: \(name)"
        case let .heldOut(file, fraction, seed, count):
            let percent = String(format: "%g", fraction * 100)
            return "dev: \(count) examples (\(percent) % of \(file), seed \(seed)) held out from training; no development file given"
        }
    }
}

/// Training and development examples of a task, with the label set built
/// from the training part and checked against the development part — what
/// `finch train classify` / `finch train ner` start from.
public struct TaskData<Example: Sendable>: Sendable {
    /// Examples to train on.
    public var train: [Example]
    /// Examples to evaluate on.
    public var dev: [Example]
    /// Labels (or tags) of the training part, in Hugging Face's order.
    public var labels: LabelSet
    /// Where `dev` came from.
    public var devSource: DevelopmentSource
}

extension TaskData where Example == ClassificationExample {
    /// Reads the training file and the development file, or holds out a seeded
    /// share of the training file when `dev` is nil. Fails when a development
    /// label never occurs in training (`DataError.unknownLabel`).
    ///
    /// - Parameters:
    ///   - stratify: hold out each label in proportion (otherwise a plain
    ///     seeded sample, as `datasets`' `train_test_split` does by default).
    public static func load(
        train: URL, dev: URL?, reader: ClassificationReader = ClassificationReader(),
        seed: UInt64 = 42, holdOutFraction: Double = 0.1, stratify: Bool = false
    ) throws -> TaskData {
        let trainName = train.relativePath
        let all = try reader.read(train, name: trainName)
        if let dev {
            let devExamples = try reader.read(dev, name: dev.relativePath)
            let labels = LabelSet(examples: all)
            try labels.validate(devExamples, file: dev.relativePath)
            return TaskData(train: all, dev: devExamples, labels: labels, devSource: .file(dev.relativePath))
        }
        let split = try HoldOutSplit(
            all, fraction: holdOutFraction, seed: seed, file: trainName, stratifyBy: stratify ? { $0.label } : nil)
        let labels = LabelSet(examples: split.train)
        try heldOut(trainName, fraction: holdOutFraction, seed: seed) { try labels.validate(split.dev, file: trainName) }
        return TaskData(
            train: split.train, dev: split.dev, labels: labels,
            devSource: .heldOut(trainingFile: trainName, fraction: holdOutFraction, seed: seed, count: split.dev.count))
    }
}

extension TaskData where Example == TaggedSentence {
    /// Reads the training CoNLL file and the development file, or holds out a
    /// seeded share of the training sentences when `dev` is nil. Fails when a
    /// development tag never occurs in training (`DataError.unknownLabel`).
    public static func load(
        train: URL, dev: URL?, reader: CoNLLReader = CoNLLReader(), seed: UInt64 = 42, holdOutFraction: Double = 0.1
    ) throws -> TaskData {
        let trainName = train.relativePath
        let all = try reader.read(train, name: trainName)
        if let dev {
            let devSentences = try reader.read(dev, name: dev.relativePath)
            let labels = LabelSet(sentences: all)
            try labels.validate(devSentences, file: dev.relativePath)
            return TaskData(train: all, dev: devSentences, labels: labels, devSource: .file(dev.relativePath))
        }
        let split = try HoldOutSplit(all, fraction: holdOutFraction, seed: seed, file: trainName)
        let labels = LabelSet(sentences: split.train)
        try heldOut(trainName, fraction: holdOutFraction, seed: seed) { try labels.validate(split.dev, file: trainName) }
        return TaskData(
            train: split.train, dev: split.dev, labels: labels,
            devSource: .heldOut(trainingFile: trainName, fraction: holdOutFraction, seed: seed, count: split.dev.count))
    }
}

/// Runs `check` on an automatic hold-out: a label it lacks in training is the
/// hold-out's doing, so the error says so (`TrainingError.heldOutLabelNotInTraining`)
/// instead of blaming the file.
func heldOut(_ file: String, fraction: Double, seed: UInt64, _ check: () throws -> Void) throws {
    do {
        try check()
    } catch let DataError.unknownLabel(_, line, label, _) {
        throw TrainingError.heldOutLabelNotInTraining(file: file, line: line, label: label, fraction: fraction, seed: seed)
    }
}
