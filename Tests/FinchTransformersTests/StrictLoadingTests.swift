import FinchNN
import FinchTensor
import FinchTestSupport
import Foundation
import Testing

@testable import FinchTransformers

/// Loading fails loudly, naming what is wrong.
@Suite struct StrictLoadingTests {
    let tiny: BertModel
    init() throws { tiny = try BertModel(contentsOf: TestSupport.fixtureURL("tiny-bert")) }

    /// Writes the tiny model's config with `state` and tries to load it.
    func load(_ state: [String: Tensor]) throws -> (URL, Result<BertModel, any Error>) {
        let dir = try SaveLoadTests.temporaryDirectory()
        try Checkpoint.save(config: tiny.config, state: state, to: dir)
        return (dir.appendingPathComponent("model.safetensors"), Result { try BertModel(contentsOf: dir) })
    }

    func expectMismatch(_ state: [String: Tensor], _ expected: StateDictError) throws {
        let (file, result) = try load(state)
        defer { try? FileManager.default.removeItem(at: file.deletingLastPathComponent()) }
        #expect(throws: CheckpointError.stateDict(path: file.path, expected)) { try result.get() }
    }

    @Test func missingKeyIsNamed() throws {
        var state = tiny.stateDict()
        state["encoder.layer.1.output.dense.bias"] = nil
        try expectMismatch(state, .mismatch(missing: ["encoder.layer.1.output.dense.bias"], unexpected: [], misshapen: []))
    }

    @Test func unexpectedKeyIsNamed() throws {
        var state = tiny.stateDict()
        state["encoder.layer.2.attention.self.query.weight"] = Tensor.zeros([32, 32])
        try expectMismatch(state, .mismatch(missing: [], unexpected: ["encoder.layer.2.attention.self.query.weight"], misshapen: []))
    }

    @Test func misshapenKeyIsNamedWithBothShapes() throws {
        var state = tiny.stateDict()
        state["embeddings.word_embeddings.weight"] = Tensor.zeros([98, 32])
        try expectMismatch(
            state,
            .mismatch(
                missing: [], unexpected: [],
                misshapen: ["embeddings.word_embeddings.weight: checkpoint [98, 32] vs model [99, 32]"]))
    }

    @Test func nothingChangesWhenALoadFails() throws {
        var state = tiny.stateDict().mapValues { Tensor.zeros($0.shape) }
        state["pooler.dense.bias"] = Tensor.zeros([31])
        let before = tiny.stateDict()["encoder.layer.0.attention.self.query.weight"]!.scalars
        #expect(throws: CheckpointError.self) {
            try Checkpoint.load(try SafetensorsFile(contentsOf: Self.write(state)), into: tiny, prefix: "", options: .bert())
        }
        #expect(tiny.stateDict()["encoder.layer.0.attention.self.query.weight"]!.scalars == before)
    }

    static func write(_ state: [String: Tensor]) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("finch-\(UUID().uuidString).safetensors")
        try Safetensors.write(state, to: url)
        return url
    }

    @Test func ignoreListIsExplicit() throws {
        // MiniLM stores the integer buffer embeddings.position_ids: ignored by the BERT list, rejected without it.
        let dir = try TestSupport.miniLMDirectory()
        let file = dir.appendingPathComponent("model.safetensors").path
        #expect(
            throws: CheckpointError.stateDict(path: file, .mismatch(missing: [], unexpected: ["embeddings.position_ids"], misshapen: []))
        ) {
            try BertModel(contentsOf: dir, options: CheckpointLoadOptions())
        }
        #expect(
            CheckpointLoadOptions.bert().ignoredKeys
                == [
                    "embeddings.position_ids", "embeddings.token_type_ids", "bert.embeddings.position_ids",
                    "bert.embeddings.token_type_ids",
                ])
    }

    @Test func foreignCheckpointIsRejected() throws {
        let dir = try SaveLoadTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try Checkpoint.save(config: tiny.config, state: ["model.embed_tokens.weight": Tensor.zeros([4, 2])], to: dir)
        #expect(
            throws: CheckpointError.notABertCheckpoint(
                path: dir.appendingPathComponent("model.safetensors").path,
                firstKeys: ["model.embed_tokens.weight"])
        ) {
            try BertModel(contentsOf: dir)
        }
    }

    @Test func fileProblemsNameThePath() throws {
        let dir = try SaveLoadTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let config = dir.appendingPathComponent("config.json")
        #expect(throws: CheckpointError.missingFile(path: config.path)) { try BertModel(contentsOf: dir) }

        try Data(#"{"hidden_size": "wide"}"#.utf8).write(to: config)
        do {
            _ = try BertModel(contentsOf: dir)
            Issue.record("a string hidden_size loaded")
        } catch let CheckpointError.invalidJSON(path, reason) {
            #expect(path == config.path && reason.contains("hidden_size"))
        }

        try Data(#"{"hidden_size": 30, "num_attention_heads": 4}"#.utf8).write(to: config)
        try Data().write(to: dir.appendingPathComponent("pytorch_model.bin"))
        #expect(throws: CheckpointError.unsupportedWeightsFormat(path: dir.appendingPathComponent("pytorch_model.bin").path)) {
            try BertModel(contentsOf: dir)
        }
        try Safetensors.write(
            ["embeddings.word_embeddings.weight": Tensor.zeros([2, 30])],
            to: dir.appendingPathComponent("model.safetensors"))
        #expect(
            throws: CheckpointError.unsupportedConfig(
                path: config.path, .invalid(field: "num_attention_heads", value: "4", reason: "hidden_size 30 is not a multiple of it"))
        ) {
            try BertModel(contentsOf: dir)
        }
    }

    @Test func unsupportedSentenceTransformersModule() throws {
        let dir = try SaveLoadTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try tiny.save(to: dir)
        let modules = """
            [{"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
             {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
             {"idx": 2, "name": "2", "path": "2_Dense", "type": "sentence_transformers.models.Dense"}]
            """
        try Data(modules.utf8).write(to: dir.appendingPathComponent("modules.json"))
        #expect(
            throws: CheckpointError.unsupportedModule(
                path: dir.appendingPathComponent("modules.json").path,
                type: "sentence_transformers.models.Dense")
        ) {
            try SentenceEmbedder(contentsOf: dir)
        }
        // Missing pooling config.
        try Data(modules.utf8.prefix(modules.utf8.count - 90) + Data("]".utf8)).write(to: dir.appendingPathComponent("modules.json"))
        #expect(throws: CheckpointError.missingFile(path: dir.appendingPathComponent("1_Pooling/config.json").path)) {
            try SentenceEmbedder(contentsOf: dir)
        }
    }
}
