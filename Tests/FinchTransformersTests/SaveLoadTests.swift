import FinchNN
import FinchTensor
import FinchTestSupport
import Foundation
import Testing

@testable import FinchTransformers

/// Save → load round trips, and the model whose saved directory
/// `Scripts/make_bert_fixtures.py check-finch-save` loaded in `transformers`.
@Suite struct SaveLoadTests {
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("finch-bert-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static let batch = BertInput(padding: [[2, 17, 40, 9, 3], [2, 5, 3], [2, 44, 12, 30, 21, 8, 3]])

    /// A Finch-initialized model with settings unlike the fixture's (tanh GELU,
    /// 3 heads, odd widths, large weights).
    static func finchMadeModel() throws -> BertModel {
        let config = BertConfig(
            vocabSize: 50, hiddenSize: 24, numHiddenLayers: 2, numAttentionHeads: 3,
            intermediateSize: 29, hiddenAct: .geluNew, maxPositionEmbeddings: 33, typeVocabSize: 2,
            initializerRange: 0.5, layerNormEps: 1e-12, otherKeys: ["finch_note": .string("made by Finch")])
        var rng = FinchRNG(seed: 424_242)
        return try BertModel(config: config, rng: &rng)
    }

    @Test func fixtureSaveLoadGivesIdenticalOutputs() throws {
        let original = try BertModel(contentsOf: TestSupport.fixtureURL("tiny-bert"))
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try original.save(to: dir)
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
        #expect(names == ["config.json", "model.safetensors"])
        let loaded = try BertModel(contentsOf: dir)
        #expect(loaded.config == original.config)
        let a = try original.inference(Self.batch), b = try loaded.inference(Self.batch)
        #expect(a.lastHiddenState.scalars == b.lastHiddenState.scalars)
        #expect(a.poolerOutput?.scalars == b.poolerOutput?.scalars)
        // The unknown keys of the Hugging Face config survive.
        let json = try #require(
            JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("config.json"))) as? [String: Any])
        #expect(json["transformers_version"] as? String == "5.23.0")
        #expect(json["tie_word_embeddings"] as? Bool == true)
        #expect(json["architectures"] as? [String] == ["BertModel"])
    }

    @Test func finchMadeModelRoundTripsAndMatchesTheTransformersCheck() throws {
        let model = try Self.finchMadeModel()
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let modelDir = dir.appendingPathComponent("model")
        try model.save(to: modelDir)
        let loaded = try BertModel(contentsOf: modelDir)
        let a = try model.inference(Self.batch), b = try loaded.inference(Self.batch)
        #expect(a.lastHiddenState.scalars == b.lastHiddenState.scalars)
        #expect(loaded.config.otherKeys["finch_note"] == .string("made by Finch"))
        if let export = ProcessInfo.processInfo.environment["FINCH_EXPORT_SAVED_DIR"] {
            try Self.export(model: model, output: a, to: URL(fileURLWithPath: export))
        }

        // `make_bert_fixtures.py check-finch-save` loaded this model's saved folder in transformers
        // and recorded what transformers built from it; the folder saved now must give the same.
        let check = try #require(
            JSONSerialization.jsonObject(
                with: Data(contentsOf: TestSupport.fixtureURL("finch_saved_check.json"))) as? [String: Any])
        // Every tensor transformers holds is in the saved file with its shape, and nothing else.
        let expected = try #require(check["state_dict_shapes"] as? [String: [Int]])
        let saved = try SafetensorsFile(contentsOf: modelDir.appendingPathComponent("model.safetensors"))
        #expect(saved.names == expected.keys.sorted())
        for name in saved.names { #expect(saved.info(name)?.shape == expected[name], "\(name)") }
        // The reloaded saved model computes what transformers computed from the same folder.
        let reference = try #require(check["transformers_last_hidden_state"] as? [Double]).map(Float.init)
        let pooled = try #require(check["transformers_pooler_output"] as? [Double]).map(Float.init)
        let reloaded = try loaded.inference(Self.batch)
        #expect(
            TestSupport.isClose(
                reloaded.lastHiddenState, Tensor(shape: reloaded.lastHiddenState.shape, values: reference),
                atol: 5e-5, rtol: 0))
        let pooler = try #require(reloaded.poolerOutput)
        #expect(TestSupport.isClose(pooler, Tensor(shape: pooler.shape, values: pooled), atol: 5e-5, rtol: 0))
        let savedConfig = try #require(
            JSONSerialization.jsonObject(
                with: Data(contentsOf: modelDir.appendingPathComponent("config.json"))) as? [String: Any])
        #expect(savedConfig["hidden_act"] as? String == check["hidden_act"] as? String)
        // The bytes transformers read are the bytes saved now.
        let files = try #require(check["files"] as? [String: String])
        var digest = SHA256Digest()
        digest.update(Array(try Data(contentsOf: modelDir.appendingPathComponent("model.safetensors"))))
        #expect(files["model.safetensors"] == digest.finalizeHex(), "saved weights differ from the ones transformers checked")
    }

    /// Writes the saved directory and Finch's outputs for the Python check.
    static func export(model: BertModel, output: BertModelOutput, to dir: URL) throws {
        try model.save(to: dir.appendingPathComponent("model"))
        let s = batch.sequenceLength
        let object: [String: Any] = [
            "input_ids": (0..<batch.batchSize).map { Array(batch.inputIDs[($0 * s)..<(($0 + 1) * s)]) },
            "attention_mask": (0..<batch.batchSize).map { Array(batch.resolvedAttentionMask[($0 * s)..<(($0 + 1) * s)]) },
            "last_hidden_state": output.lastHiddenState.scalars.map(Double.init),
            "pooler_output": output.poolerOutput?.scalars.map(Double.init) ?? [],
        ]
        try JSONSerialization.data(withJSONObject: object).write(to: dir.appendingPathComponent("finch_outputs.json"))
    }

    @Test func modelWithoutPoolerLoads() throws {
        let original = try BertModel(contentsOf: TestSupport.fixtureURL("tiny-bert"))
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let state = original.stateDict().filter { !$0.key.hasPrefix("pooler.") }
        try Checkpoint.save(config: original.config, state: state, to: dir)
        let loaded = try BertModel(contentsOf: dir)
        #expect(loaded.pooler == nil)
        #expect(loaded.namedParameters().count == original.namedParameters().count - 2)
        let out = try loaded.inference(Self.batch)
        #expect(out.poolerOutput == nil)
        #expect(out.lastHiddenState.scalars == (try original.inference(Self.batch)).lastHiddenState.scalars)
    }

    @Test func encoderOfAClassifierCheckpointLoadsUnderTheBertPrefix() throws {
        let reference = try BertModel(contentsOf: TestSupport.fixtureURL("tiny-bert"))
        let dir = TestSupport.fixtureURL("tiny-bert-classifier")
        #expect(
            throws: CheckpointError.stateDict(
                path: dir.appendingPathComponent("model.safetensors").path,
                .mismatch(missing: [], unexpected: ["classifier.bias", "classifier.weight"], misshapen: []))
        ) {
            try BertModel(contentsOf: dir)
        }
        let encoder = try BertModel(contentsOf: dir, options: .bert(ignoringKeyPrefixes: ["classifier."]))
        #expect(encoder.config.id2label?["1"] == "neutral")
        #expect(
            (try encoder.inference(Self.batch)).lastHiddenState.scalars
                == (try reference.inference(Self.batch)).lastHiddenState.scalars)
    }

    @Test func sentenceEmbedderFolderRoundTrips() throws {
        let model = try BertModel(contentsOf: TestSupport.fixtureURL("tiny-bert"))
        let embedder = SentenceEmbedder(
            model: model, pooling: PoolingConfig(embeddingDimension: 32, modes: [.cls, .mean]),
            normalizes: true, maxSequenceLength: 20)
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try embedder.save(to: dir)
        let folder = try SentenceTransformersFolder(contentsOf: dir)
        #expect(folder.pooling?.modes == [.cls, .mean] && folder.normalizes && folder.maxSequenceLength == 20)
        let loaded = try SentenceEmbedder(contentsOf: dir)
        let ids = [[2, 7, 3], [2, 50, 51, 52, 3], [2, 3]]
        let a = try embedder.embed(tokenIDs: ids), b = try loaded.embed(tokenIDs: ids)
        #expect(a.shape == [3, 64] && a.scalars == b.scalars)
    }
}
