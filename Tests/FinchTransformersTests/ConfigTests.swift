import FinchTestSupport
import Foundation
import Testing

@testable import FinchTransformers

@Suite struct ConfigTests {
    @Test func defaultsEqualTheReference() throws {
        let c = try JSONDecoder().decode(BertConfig.self, from: Data("{}".utf8))
        #expect(c.vocabSize == 30522 && c.hiddenSize == 768 && c.numHiddenLayers == 12 && c.numAttentionHeads == 12)
        #expect(c.intermediateSize == 3072 && c.hiddenAct == .gelu && c.maxPositionEmbeddings == 512)
        #expect(c.typeVocabSize == 2 && c.layerNormEps == 1e-12 && c.hiddenDropoutProb == 0.1)
        #expect(c.attentionProbsDropoutProb == 0.1 && c.initializerRange == 0.02 && c.padTokenID == 0)
        #expect(c.positionEmbeddingType == "absolute" && c.otherKeys.isEmpty)
        #expect(c == BertConfig())
    }

    @Test func readsMiniLMConfigAndKeepsUnknownKeys() throws {
        let c = try Checkpoint.readConfig(BertConfig.self, from: try TestSupport.miniLMDirectory())
        #expect(c.hiddenSize == 384 && c.numHiddenLayers == 6 && c.intermediateSize == 1536 && c.vocabSize == 30522)
        #expect(c.architectures == ["BertModel"])
        #expect(c.otherKeys["_name_or_path"] == .string("nreimers/MiniLM-L6-H384-uncased"))
        #expect(c.otherKeys["gradient_checkpointing"] == .bool(false))
        #expect(c.otherKeys["transformers_version"] == .string("4.8.2"))
        let again = try JSONDecoder().decode(BertConfig.self, from: try JSONEncoder().encode(c))
        #expect(again == c)
    }

    @Test func writesSnakeCaseAndLabels() throws {
        let c = try Checkpoint.readConfig(BertConfig.self, from: TestSupport.fixtureURL("tiny-bert-classifier"))
        #expect(c.id2label == ["0": "negative", "1": "neutral", "2": "positive"])
        #expect(c.label2id == ["negative": 0, "neutral": 1, "positive": 2])
        #expect(c.architectures == ["BertForSequenceClassification"])
        let json = try JSONSerialization.jsonObject(with: try JSONEncoder().encode(c)) as? [String: Any]
        let object = try #require(json)
        #expect(object["hidden_size"] as? Int == 32)
        #expect(object["layer_norm_eps"] as? Double == 1e-12)
        #expect(object["hidden_act"] as? String == "gelu")
        #expect((object["id2label"] as? [String: String])?["2"] == "positive")
        #expect(object["transformers_version"] as? String == "5.23.0")
        #expect(object["hiddenSize"] == nil)
    }

    @Test func activationsByName() throws {
        for (name, act) in [
            ("gelu", BertActivation.gelu), ("gelu_new", .geluNew), ("relu", .relu),
            ("gelu_pytorch_tanh", .geluPytorchTanh), ("silu", .silu),
        ] {
            let c = try JSONDecoder().decode(BertConfig.self, from: Data("{\"hidden_act\": \"\(name)\"}".utf8))
            #expect(c.hiddenAct == act)
        }
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(BertConfig.self, from: Data("{\"hidden_act\": \"mish\"}".utf8))
        }
    }

    @Test func validationNamesTheField() {
        var c = BertConfig(hiddenSize: 30, numAttentionHeads: 4)
        #expect(
            throws: BertConfigError.invalid(
                field: "num_attention_heads", value: "4",
                reason: "hidden_size 30 is not a multiple of it")
        ) { try c.validate() }
        c = BertConfig(positionEmbeddingType: "relative_key")
        #expect(throws: BertConfigError.self) { try c.validate() }
        c = BertConfig(otherKeys: ["is_decoder": .bool(true)])
        #expect(throws: BertConfigError.invalid(field: "is_decoder", value: "true", reason: "Finch's BERT is an encoder only")) {
            try c.validate()
        }
    }

    @Test func poolingConfigBothSpellings() throws {
        let legacy = """
            {"word_embedding_dimension": 8, "pooling_mode_cls_token": true, "pooling_mode_mean_tokens": true,
             "pooling_mode_max_tokens": false, "pooling_mode_mean_sqrt_len_tokens": false}
            """
        let a = try JSONDecoder().decode(PoolingConfig.self, from: Data(legacy.utf8))
        #expect(a.modes == [.cls, .mean] && a.embeddingDimension == 8 && a.outputDimension == 16)
        let modern = #"{"embedding_dimension": 8, "pooling_mode": ["max", "cls"], "include_prompt": false}"#
        let b = try JSONDecoder().decode(PoolingConfig.self, from: Data(modern.utf8))
        #expect(b.modes == [.max, .cls] && !b.includePrompt)
        let single = try JSONDecoder().decode(
            PoolingConfig.self, from: Data(#"{"embedding_dimension": 4, "pooling_mode": "lasttoken"}"#.utf8))
        #expect(single.modes == [.lastToken])
        let none = try JSONDecoder().decode(PoolingConfig.self, from: Data(#"{"word_embedding_dimension": 4}"#.utf8))
        #expect(none.modes == [.mean])
        for config in [a, b, single] {
            #expect(try JSONDecoder().decode(PoolingConfig.self, from: try JSONEncoder().encode(config)) == config)
        }
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(PoolingConfig.self, from: Data(#"{"embedding_dimension": 4, "pooling_mode": "median"}"#.utf8))
        }
    }
}
