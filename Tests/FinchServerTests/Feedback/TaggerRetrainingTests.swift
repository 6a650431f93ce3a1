import FinchApps
import FinchServer
import FinchTestSupport
import FinchTrain
import Foundation
import Testing

/// Guarded retraining of a tiny tagger (hidden 32) trained on `tiny-ner.bio`.
@Suite(.serialized) struct TaggerRetrainingTests {
    static func trainedTagger(in root: URL) throws -> URL {
        let base = try ServerFixture.modelFolders(in: root).embedder
        let out = root.appendingPathComponent("tagger")
        var request = FineTuningRequest(modelDirectory: base, trainFile: TestSupport.fixtureURL("tiny-ner.bio"), outputDirectory: out)
        request.training.epochs = 10
        request.training.learningRate = 1e-2
        request.training.metricForBestModel = .f1
        request.maxLength = 24
        _ = try FineTuning.tag(request)
        return out
    }

    /// Corrections that move two cities into organisations, written as (text, spans).
    static let corrections: [(String, [FeedbackSpan])] = [
        ("John works for Berlin .", [FeedbackSpan(start: 0, end: 4, type: "PER"), FeedbackSpan(start: 15, end: 21, type: "ORG")]),
        ("Mary works for Paris .", [FeedbackSpan(start: 0, end: 4, type: "PER"), FeedbackSpan(start: 15, end: 20, type: "ORG")]),
        ("Smith works for Berlin .", [FeedbackSpan(start: 0, end: 5, type: "PER"), FeedbackSpan(start: 16, end: 22, type: "ORG")]),
    ]

    @Test func aTaggerCorrectedOnAHandfulOfSentencesLearnsThem() async throws {
        let root = try ServerFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let folder = try Self.trainedTagger(in: root)
        #expect(try TrainingDataRecord.sentences(TrainingDataRecord.heldOutTaggedFileName, in: folder).count == 4)
        let all = try CoNLLReader().read(TestSupport.fixtureURL("tiny-ner.bio"))
        let replayed = try TrainingDataRecord.sentences(TrainingDataRecord.replayTaggedFileName, in: folder)
        #expect(replayed.count == all.count - 4)
        #expect(Set(replayed.map(\.tokens)).isSubset(of: Set(all.map(\.tokens))))
        let store = InMemoryStore()
        let registry = ModelRegistry(store: store.models, options: BatchingOptions())
        defer { registry.shutdown() }
        _ = try await registry.register(name: "ner", path: folder.path)
        let service = FeedbackService(store: store.feedback, registry: registry, storedText: .off)
        for (text, spans) in Self.corrections {
            _ = try await service.submit(.entities(model: "ner", input: text, entities: spans), user: nil, keyID: "k")
        }
        var options = RetrainingTests.options
        options.margin = 1
        let outcome = try await FineTunedModelRetrainer(registry: registry, feedback: store.feedback, options: options)
            .retrain(model: "ner") { _ in }
        let before = try #require(outcome.previousMetrics["feedback_f1"])
        try #require(before < 1, "the corrections must correct something")
        #expect(outcome.newMetrics["feedback_f1"] == 1)
        #expect(outcome.newVersion == 2 && outcome.activated)
        #expect(outcome.newMetrics["heldout_f1"] != nil)
        let v2 = try #require(try await registry.versions().first { $0.version == 2 })
        let found = try FineTunedModel.load(URL(fileURLWithPath: v2.path)).entities(in: Self.corrections.map(\.0))
        for ((text, spans), entities) in zip(Self.corrections, found) {
            #expect(entities.map { FeedbackSpan(start: $0.start, end: $0.end, type: $0.label) } == spans, "\(text)")
        }
        let report = try #require(try RetrainReport.read(from: URL(fileURLWithPath: v2.path)))
        #expect(report.metric == "f1" && report.heldOutExamples == 4 && report.replayExamples == 12)
    }
}
