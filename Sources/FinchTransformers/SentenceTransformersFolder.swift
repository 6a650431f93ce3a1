import FinchSupport
import Foundation

/// What a sentence-transformers folder asks for: where the transformer is,
/// how to pool, whether to normalize, and the longest input. Read from
/// `modules.json` (modules in `idx` order: a `Transformer`, then `Pooling`,
/// then optionally `Normalize`), the transformer's
/// `sentence_bert_config.json` (`max_seq_length`) and the pooling module's
/// `config.json`. A plain Hugging Face directory (no `modules.json`) gets
/// mean pooling without normalization, as sentence-transformers gives it.
public struct SentenceTransformersFolder: Equatable, Sendable {
    /// The folder itself.
    public let root: URL
    /// The Hugging Face model directory (the transformer module's path).
    public let transformerDirectory: URL
    /// Pooling of token vectors; nil means mean over the model width.
    public let pooling: PoolingConfig?
    /// True when a `Normalize` module follows pooling.
    public let normalizes: Bool
    /// `max_seq_length` of `sentence_bert_config.json`, when given.
    public let maxSequenceLength: Int?

    /// `modules.json`.
    public static let modulesFileName = "modules.json"
    /// The transformer module's settings file.
    public static let sentenceBertConfigFileName = "sentence_bert_config.json"

    struct ModuleEntry: Codable {
        let idx: Int
        let name: String
        let path: String
        let type: String
        var kind: String { type.split(separator: ".").last.map(String.init) ?? type }
    }

    struct SentenceBertConfig: Codable {
        let maxSeqLength: Int?
        let doLowerCase: Bool?
        enum CodingKeys: String, CodingKey {
            case maxSeqLength = "max_seq_length"
            case doLowerCase = "do_lower_case"
        }
    }

    /// Reads the folder at `root`. Throws `CheckpointError` naming the file
    /// for malformed JSON, a missing pooling config, or a module type Finch
    /// does not implement (for example `Dense`).
    public init(contentsOf root: URL) throws(CheckpointError) {
        self.root = root
        let modulesURL = root.appendingPathComponent(Self.modulesFileName)
        guard FileManager.default.fileExists(atPath: modulesURL.path) else {
            transformerDirectory = root
            pooling = nil
            normalizes = false
            maxSequenceLength = try Self.readMaxSequenceLength(in: root)
            return
        }
        let entries = try Checkpoint.readJSON([ModuleEntry].self, at: modulesURL).sorted { $0.idx < $1.idx }
        guard let first = entries.first, first.kind == "Transformer" else {
            throw .unsupportedModule(path: modulesURL.path, type: entries.first?.type ?? "(no modules)")
        }
        var poolingEntry: ModuleEntry?
        var normalizes = false
        for entry in entries.dropFirst() {
            switch entry.kind {
            case "Pooling" where poolingEntry == nil && !normalizes: poolingEntry = entry
            case "Normalize" where !normalizes: normalizes = true
            default: throw .unsupportedModule(path: modulesURL.path, type: entry.type)
            }
        }
        let pooling = try poolingEntry.map { (entry) throws(CheckpointError) in
            try Checkpoint.readJSON(
                PoolingConfig.self, at: root.appendingPathComponent(entry.path).appendingPathComponent("config.json"))
        }
        transformerDirectory = first.path.isEmpty ? root : root.appendingPathComponent(first.path)
        self.pooling = pooling
        self.normalizes = normalizes
        maxSequenceLength = try Self.readMaxSequenceLength(in: transformerDirectory)
    }

    /// A description to save: the transformer at the root, pooling in
    /// `1_Pooling`, normalization as `2_Normalize`.
    public init(root: URL, pooling: PoolingConfig, normalizes: Bool, maxSequenceLength: Int?) {
        self.root = root
        transformerDirectory = root
        self.pooling = pooling
        self.normalizes = normalizes
        self.maxSequenceLength = maxSequenceLength
    }

    private static func readMaxSequenceLength(in directory: URL) throws(CheckpointError) -> Int? {
        let url = directory.appendingPathComponent(sentenceBertConfigFileName)
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        let value = try Checkpoint.readJSON(SentenceBertConfig.self, at: url).maxSeqLength
        if let value, value <= 0 {
            throw .invalidValue(path: url.path, field: "max_seq_length", value: String(value), reason: "must be positive")
        }
        return value
    }

    /// Writes `modules.json`, `sentence_bert_config.json` and
    /// `1_Pooling/config.json` (and an empty `2_Normalize`) under `root`, each
    /// atomically. The transformer's own files are written by its `save(to:)`.
    public func write() throws {
        let pooling = self.pooling ?? PoolingConfig(embeddingDimension: 0)
        var modules = [
            ModuleEntry(idx: 0, name: "0", path: "", type: "sentence_transformers.models.Transformer"),
            ModuleEntry(idx: 1, name: "1", path: "1_Pooling", type: "sentence_transformers.models.Pooling"),
        ]
        if normalizes {
            modules.append(ModuleEntry(idx: 2, name: "2", path: "2_Normalize", type: "sentence_transformers.models.Normalize"))
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        func write<T: Encodable>(_ value: T, _ relative: String) throws {
            let url = root.appendingPathComponent(relative)
            do {
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                var data = try encoder.encode(value)
                data.append(0x0A)
                try AtomicFile.write(data, to: url)
            } catch {
                throw CheckpointError.unwritable(path: url.path, reason: "\(error)")
            }
        }
        try write(modules, Self.modulesFileName)
        try write(SentenceBertConfig(maxSeqLength: maxSequenceLength, doLowerCase: false), Self.sentenceBertConfigFileName)
        try write(pooling, "1_Pooling/config.json")
        if normalizes {
            let dir = root.appendingPathComponent("2_Normalize")
            do { try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true) } catch {
                throw CheckpointError.unwritable(path: dir.path, reason: "\(error)")
            }
        }
    }
}
