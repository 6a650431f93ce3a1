import FinchNN
import FinchTensor
import FinchText
import FinchTransformers
import Foundation

/// What Finch writes next to a fine-tuned model so `finch predict` and
/// `finch evaluate` can use it without the training flags: `finch_task.json`.
public struct TaskMetadata: Codable, Sendable, Equatable {
    /// The task kind.
    public enum Kind: String, Codable, Sendable { case classification, ner }
    public var task: Kind
    /// Tokens per sequence the model was trained with.
    public var maxLength: Int
    /// NER: how raw text is cut into words at prediction time.
    public var wordSplitting: WordSplitting?
    /// NER: how a word's first piece is chosen (see `WordBoundary`).
    public var wordBoundary: WordBoundary?
    /// Classification: the column names used in training (defaults for evaluate).
    public var textColumn: String?
    public var textPairColumn: String?
    public var labelColumn: String?

    public static let fileName = "finch_task.json"

    public init(task: Kind, maxLength: Int) {
        self.task = task
        self.maxLength = maxLength
    }

    /// Reads `finch_task.json`, or infers it from `config.json`'s architecture.
    public static func read(from directory: URL) throws -> TaskMetadata {
        let url = directory.appendingPathComponent(fileName)
        if FileManager.default.fileExists(atPath: url.path) {
            return try JSONDecoder().decode(TaskMetadata.self, from: Data(contentsOf: url))
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
        return try JSONDecoder().decode(TaskMetadata.self, from: Data(contentsOf: url))
    }

    /// Writes `finch_task.json` atomically.
    public func write(to directory: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(self).write(to: directory.appendingPathComponent(Self.fileName), options: .atomic)
    }
}

/// Problems with a model directory or task set-up.
public enum TaskError: Error, CustomStringConvertible, Equatable {
    case notAFineTunedModel(path: String, architecture: String)
    case wrongTask(path: String, expected: String, found: String)
    case emptyInput(line: Int)

    public var description: String {
        switch self {
        case let .notAFineTunedModel(path, arch):
            return "\(path): not a fine-tuned classifier or tagger (architecture '\(arch)'); train one with `finch train`"
        case let .wrongTask(path, expected, found): return "\(path): this is a \(found) model, not \(expected)"
        case let .emptyInput(line): return "line \(line): empty text"
        }
    }
}

enum TokenizerFiles {
    /// Files a Hugging Face tokenizer may consist of.
    static let names = ["tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "vocab.txt",
                        "sentencepiece.bpe.model", "added_tokens.json"]

    /// Copies the tokenizer files of `source` into `destination` (atomically each).
    static func copy(from source: URL, to destination: URL) throws {
        let fm = FileManager.default
        for name in names {
            let from = source.appendingPathComponent(name), to = destination.appendingPathComponent(name)
            guard fm.fileExists(atPath: from.path), from.standardizedFileURL != to.standardizedFileURL else { continue }
            let tmp = destination.appendingPathComponent(".\(name).tmp")
            if fm.fileExists(atPath: tmp.path) { try fm.removeItem(at: tmp) }
            try fm.copyItem(at: from, to: tmp)
            if fm.fileExists(atPath: to.path) { try fm.removeItem(at: to) }
            try fm.moveItem(at: tmp, to: to)
        }
    }
}

extension Tokenizer {
    /// Special tokens the template puts before and after a single sequence
    /// (`[CLS]` / `[SEP]`, `<s>` / `</s>`), found by encoding a probe text.
    func specialTokenFrame() -> (prefix: [Int], suffix: [Int]) {
        let plain = encode("a", addSpecialTokens: false).ids
        let full = encode("a", addSpecialTokens: true).ids
        guard !plain.isEmpty, full.count >= plain.count else { return ([], []) }
        for start in 0...(full.count - plain.count) where Array(full[start..<(start + plain.count)]) == plain {
            return (Array(full[..<start]), Array(full[(start + plain.count)...]))
        }
        return ([], [])
    }

    /// The id used to pad batches.
    var padID: Int { paddingToken?.id ?? 0 }
}

/// What the classification and NER tasks do alike with their heads.
enum TaskHeadRuntime {
    /// Logits without autodiff: the fast inference path, or the module path when
    /// unmerged LoRA adapters are attached (the fast path reads base weights only).
    static func logits(_ head: some BertTaskHead, _ input: BertInput, workspace: BertWorkspace, adapted: Bool) throws -> Tensor {
        if adapted { return try withoutGradient { try head.logits(input) } }
        return try head.inferenceLogits(input, workspace: workspace)
    }

    /// The head, its LoRA adapters (when not merged), the tokenizer files and `finch_task.json`.
    static func save(_ head: some BertTaskHead, lora: LoRAConfiguration?, tokenizerDirectory: URL, metadata: TaskMetadata,
                     to directory: URL) throws {
        try head.save(to: directory)
        try LoRAFiles.save(head, configuration: lora, to: directory)
        try TokenizerFiles.copy(from: tokenizerDirectory, to: directory)
        try metadata.write(to: directory)
    }
}
