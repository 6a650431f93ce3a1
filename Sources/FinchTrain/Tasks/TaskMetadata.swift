import FinchSupport
import FinchTransformers
import Foundation

/// What Finch writes next to a fine-tuned model so `finch predict` and
/// `finch evaluate` can use it without the training flags: `finch_task.json`.
public struct TaskMetadata: Codable, Sendable, Equatable {
    /// The task kind.
    public enum Kind: String, Codable, Sendable {
        /// Sequence classification (`finch train classify`).
        case classification
        /// Token classification, named entities (`finch train ner`).
        case ner
    }
    /// The task kind.
    public var task: Kind
    /// Tokens per sequence the model was trained with.
    public var maxLength: Int
    /// NER: how raw text is cut into words at prediction time.
    public var wordSplitting: WordSplitting?
    /// NER: how a word's first piece is chosen (see `WordBoundary`).
    public var wordBoundary: WordBoundary?
    /// Classification: the column names used in training (defaults for evaluate).
    public var textColumn: String?
    /// Classification: the second text's column in training, if any.
    public var textPairColumn: String?
    /// Classification: the label column in training.
    public var labelColumn: String?

    /// The file's name inside a model directory.
    public static let fileName = "finch_task.json"

    /// Metadata of a `task` model trained with `maxLength` tokens per sequence.
    public init(task: Kind, maxLength: Int) {
        self.task = task
        self.maxLength = maxLength
    }

    /// Reads `finch_task.json`, or infers it from `config.json`'s architecture.
    public static func read(from directory: URL) throws -> TaskMetadata {
        let url = directory.appendingPathComponent(fileName)
        if FileManager.default.fileExists(atPath: url.path) {
            return try TaskError.decodeModelFile(TaskMetadata.self, at: url)
        }
        let config = try Checkpoint.readConfig(BertConfig.self, from: directory)
        let arch = config.architectures?.first ?? ""
        if arch.hasSuffix("TokenClassification") {
            var m = TaskMetadata(task: .ner, maxLength: 512)
            m.wordSplitting = .whitespace
            m.wordBoundary = .keep
            return m
        }
        if arch.hasSuffix("SequenceClassification") { return TaskMetadata(task: .classification, maxLength: 512) }
        throw TaskError.notAFineTunedModel(path: directory.path, architecture: arch)
    }

    /// `finch_task.json` of `directory`, or nil when the file is absent (a base model).
    public static func readIfPresent(in directory: URL) throws -> TaskMetadata? {
        let url = directory.appendingPathComponent(fileName)
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        return try TaskError.decodeModelFile(TaskMetadata.self, at: url)
    }

    /// Writes `finch_task.json` atomically.
    public func write(to directory: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try AtomicFile.write(encoder.encode(self), to: directory.appendingPathComponent(Self.fileName))
    }
}
