import FinchNN
import FinchTensor
import Foundation

extension BertModel {
    /// Loads a Hugging Face directory (`config.json` + `model.safetensors`).
    /// The encoder's keys are found bare (`embeddings.…`, as `BertModel`
    /// saves them) or under `bert.` (as the `BertFor…` heads save them); a
    /// checkpoint without `pooler.dense.weight` gives a model without a
    /// pooler. Loading is strict apart from `options` (by default the
    /// `position_ids` / `token_type_ids` buffers): for example, the encoder of
    /// a classifier loads with `.bert(ignoringKeyPrefixes: ["classifier."])`.
    /// The model comes back in eval mode.
    public convenience init(contentsOf directory: URL, options: CheckpointLoadOptions = .bert()) throws {
        let configURL = directory.appendingPathComponent(Checkpoint.configFileName)
        let config = try Checkpoint.readConfig(BertConfig.self, from: directory)
        let file = try Checkpoint.openWeights(in: directory)
        let names = Set(file.names)
        let prefix: String
        if names.contains("embeddings.word_embeddings.weight") {
            prefix = ""
        } else if names.contains("bert.embeddings.word_embeddings.weight") {
            prefix = "bert."
        } else {
            throw CheckpointError.notABertCheckpoint(path: file.url.path, firstKeys: Array(file.names.prefix(5)))
        }
        var rng = FinchRNG(seed: 0)
        do {
            try self.init(
                config: config, addPoolingLayer: names.contains(prefix + "pooler.dense.weight"),
                initialization: .zeros, rng: &rng)
        } catch {
            throw CheckpointError.unsupportedConfig(path: configURL.path, error)
        }
        try Checkpoint.load(file, into: self, prefix: prefix, options: options)
    }

    /// Saves in Hugging Face `BertModel` layout: `config.json` (the
    /// configuration with `architectures` set to `BertModel` when empty, and
    /// every unknown key kept) and `model.safetensors` with bare keys. Files
    /// are written atomically; the directory is created if needed.
    public func save(to directory: URL) throws {
        var config = self.config
        if config.architectures?.isEmpty ?? true { config.architectures = ["BertModel"] }
        try Checkpoint.save(config: config, state: stateDict(), to: directory)
    }
}
