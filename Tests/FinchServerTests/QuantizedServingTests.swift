import FinchApps
import FinchTrain
import Foundation
import Testing

/// A classifier folder with int8 weights (`finch quantize`) is served in
/// int8: `/v1/classify` answers what `FineTunedModel.load` of the same folder
/// computes, which is not the float model's answer.
@Suite struct QuantizedServingTests {
    @Test func servesTheInt8WeightsOfAQuantizedClassifierFolder() async throws {
        let fixture = try await ServerFixture()
        defer { fixture.remove() }
        let folder = fixture.root.appendingPathComponent("classifier")
        let texts = ["a fine film", "the plot was dull and far too long"]
        func scores(_ model: FineTunedModel) throws -> [[String: Double]] { try model.classify(texts.map { ($0, nil) }).map(\.scores) }

        let model = try FineTunedModel.load(folder)
        let float = try scores(model)
        model.encoder.quantizeForInference()
        try model.encoder.saveInferenceQuantization(to: folder.appendingPathComponent(FineTunedModel.int8WeightsFile))
        let int8 = try scores(FineTunedModel.load(folder))
        #expect(int8 != float)

        try await fixture.app().test(.router) { client in
            let r = try await client.send(
                .post, "/v1/classify", key: fixture.readKey, json: ["model": "sentiment", "inputs": texts, "top_k": 3])
            #expect(r.status == .ok)
            let results = try #require(try r.object()["results"] as? [[[String: Any]]])
            #expect(results.count == texts.count)
            for (row, expected) in zip(results, int8) {
                for entry in row {
                    let label = try #require(entry["label"] as? String), score = try #require(entry["score"] as? Double)
                    #expect(abs(score - expected[label]!) < 1e-6, "\(label): served \(score), int8 \(expected[label]!)")
                }
            }
        }
    }
}
