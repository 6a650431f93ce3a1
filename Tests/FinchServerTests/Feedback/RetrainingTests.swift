import FinchApps
import FinchServer
import FinchSupport
import FinchTestSupport
import FinchTrain
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Guarded retraining on a tiny sentiment classifier (hidden 32) trained from
/// the committed fixtures, its held-out set being `tiny-sentiment-test.csv`.
@Suite(.serialized) struct RetrainingTests {
    /// Trains the tiny classifier into `root/classifier` (with `finch_data.json`, `heldout.jsonl`, `replay.jsonl`).
    static func trainedClassifier(in root: URL) throws -> URL {
        let base = try ServerFixture.modelFolders(in: root).embedder
        let out = root.appendingPathComponent("classifier")
        var request = FineTuningRequest(
            modelDirectory: base, trainFile: TestSupport.fixtureURL("tiny-sentiment.csv"), outputDirectory: out)
        request.devFile = TestSupport.fixtureURL("tiny-sentiment-test.csv")
        request.training.epochs = 10
        request.training.learningRate = 1e-2
        request.training.metricForBestModel = .accuracy
        request.maxLength = 16
        _ = try FineTuning.classify(request)
        return out
    }

    /// The settings the tests retrain with: the tiny model needs a large learning rate.
    static var options: RetrainOptions {
        var o = RetrainOptions()
        o.epochs = 10
        o.learningRate = 1e-2
        return o
    }

    static func flipped(_ label: String) -> String { label == "pos" ? "neg" : "pos" }

    /// Texts without a sentiment word, so correcting them contradicts nothing the model learned.
    static let neutralTexts = ["john and mary", "the actor and john", "mary was the plot", "the story and the movie were"]

    @Test func trainingRecordsItsDataInTheModelFolder() throws {
        let root = try ServerFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let folder = try Self.trainedClassifier(in: root)
        let record = try #require(try TrainingDataRecord.read(from: folder))
        #expect(record.trainingFile == TestSupport.fixtureURL("tiny-sentiment.csv").path)
        #expect(record.developmentFile == TestSupport.fixtureURL("tiny-sentiment-test.csv").relativePath)
        #expect(record.trainingExamples == 48 && record.developmentExamples == 10)
        let heldOut = try TrainingDataRecord.examples(TrainingDataRecord.heldOutFileName, in: folder)
        #expect(heldOut.first?.text == "the actor was very good" && heldOut.first?.label == "pos")
        #expect(heldOut.count == 10)
        #expect(try TrainingDataRecord.examples(TrainingDataRecord.replayFileName, in: folder).count == 48)
    }

    @Test func aClassifierCorrectedOnAHandfulOfExamplesLearnsThem() async throws {
        let root = try ServerFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let folder = try Self.trainedClassifier(in: root)
        let store = InMemoryStore()
        let registry = ModelRegistry(store: store.models, options: BatchingOptions())
        defer { registry.shutdown() }
        _ = try await registry.register(name: "sentiment", path: folder.path)
        let before = try FineTunedModel.load(folder).classify(Self.neutralTexts.map { ($0, nil) }).map(\.label)
        let corrected = before.map(Self.flipped)
        let service = FeedbackService(store: store.feedback, registry: registry, storedText: .off)
        for (text, label) in zip(Self.neutralTexts, corrected) {
            _ = try await service.submit(.classification(model: "sentiment", input: text, label: label), user: nil, keyID: "k")
        }
        let events = EventLog()
        let retrainer = FineTunedModelRetrainer(registry: registry, feedback: store.feedback, options: Self.options)
        let outcome = try await retrainer.retrain(model: "sentiment") { events.add($0) }
        #expect(outcome.previousVersion == 1 && outcome.newVersion == 2)
        #expect(outcome.previousMetrics["feedback_accuracy"] == 0)
        #expect(outcome.newMetrics["feedback_accuracy"] == 1)
        let v2 = try #require(try await registry.versions().first { $0.version == 2 })
        let after = try FineTunedModel.load(URL(fileURLWithPath: v2.path)).classify(Self.neutralTexts.map { ($0, nil) }).map(\.label)
        #expect(after == corrected)
        // The guard's decision follows its rule, and the served version follows the decision.
        let drop = try #require(outcome.previousMetrics["heldout_accuracy"]) - (try #require(outcome.newMetrics["heldout_accuracy"]))
        #expect(outcome.activated == (drop <= Self.options.margin + 1e-12))
        #expect(try registry.model(named: "sentiment").version == (outcome.activated ? 2 : 1))
        let report = try #require(try RetrainReport.read(from: URL(fileURLWithPath: v2.path)))
        #expect(report.newVersion == 2 && report.previousVersion == 1)
        #expect(report.feedbackExamples == 4 && report.feedbackHeldOut == 0 && report.replayExamples == 16)
        #expect(report.heldOutExamples == 10)
        #expect(report.activated == outcome.activated && report.reason == outcome.reason)
        // The new version can be retrained in turn, and progress covered training.
        #expect(try TrainingDataRecord.read(from: URL(fileURLWithPath: v2.path)) != nil)
        #expect(events.stages.contains("train") && events.stages.last == "register")
    }

    @Test func theGuardRefusesAVersionMadeWorseByCorruptedFeedback() async throws {
        let root = try ServerFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let folder = try Self.trainedClassifier(in: root)
        let store = InMemoryStore()
        let registry = ModelRegistry(store: store.models, options: BatchingOptions())
        defer { registry.shutdown() }
        _ = try await registry.register(name: "sentiment", path: folder.path)
        let service = FeedbackService(store: store.feedback, registry: registry, storedText: .off)
        // Every training text with the wrong label.
        for example in try TrainingDataRecord.examples(TrainingDataRecord.replayFileName, in: folder) {
            _ = try await service.submit(
                .classification(model: "sentiment", input: example.text, label: Self.flipped(example.label)), user: nil, keyID: "k")
        }
        let retrainer = FineTunedModelRetrainer(registry: registry, feedback: store.feedback, options: Self.options)
        let outcome = try await retrainer.retrain(model: "sentiment") { _ in }
        let oldHeldOut = try #require(outcome.previousMetrics["heldout_accuracy"])
        try #require(oldHeldOut >= 0.8, "the tiny classifier must be good on its held-out set for the check to mean anything")
        #expect(try #require(outcome.newMetrics["heldout_accuracy"]) < oldHeldOut - Self.options.margin)
        #expect(!outcome.activated)
        #expect(outcome.newVersion == 2)
        #expect(outcome.reason.contains("held-out accuracy fell"), "\(outcome.reason)")
        #expect(try registry.model(named: "sentiment").version == 1)
        #expect(try await registry.versions().map(\.active) == [true, false])
        let last = try #require(try await registry.versions().last)
        let report = try #require(try RetrainReport.read(from: URL(fileURLWithPath: last.path)))
        #expect(!report.activated && report.feedbackHeldOut > 0 && report.feedbackEvaluation == "held-out feedback")
    }

    @Test func noFeedbackMeansNoNewVersion() async throws {
        let root = try ServerFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let folders = try ServerFixture.modelFolders(in: root)
        let store = InMemoryStore()
        let registry = ModelRegistry(store: store.models, options: BatchingOptions())
        defer { registry.shutdown() }
        _ = try await registry.register(name: "sentiment", path: folders.classifier.path)
        let outcome = try await FineTunedModelRetrainer(registry: registry, feedback: store.feedback).retrain(model: "sentiment") { _ in }
        #expect(outcome.newVersion == nil && !outcome.activated)
        #expect(try await registry.versions().count == 1)
        await #expect(throws: RetrainError.noActiveVersion(model: "nope")) {
            try await FineTunedModelRetrainer(registry: registry, feedback: store.feedback).retrain(model: "nope") { _ in }
        }
    }

    @Test func aRequestHoldingTheReplacedVersionStillGetsItsAnswer() async throws {
        let root = try ServerFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let folders = try ServerFixture.modelFolders(in: root)
        let registry = ModelRegistry(store: InMemoryStore().models, options: BatchingOptions())
        defer { registry.shutdown() }
        _ = try await registry.register(name: "sentiment", path: folders.classifier.path)
        let old = try registry.model(named: "sentiment")
        _ = try await registry.register(name: "sentiment", path: folders.classifier.path)
        #expect(try registry.model(named: "sentiment").version == 2)
        // Looked up before the swap, submitted after it: answered by the old version (it used to be 503 "unloaded").
        let result = try await InferenceService.classify([.init(text: "good film")], model: old)
        #expect(result.value.count == 1)
    }
}

/// Progress events received, in order.
final class EventLog: @unchecked Sendable {
    private let lock = NSLock()
    private var events: [ProgressEvent] = []
    func add(_ e: ProgressEvent) { lock.withLock { events.append(e) } }
    var stages: [String] { lock.withLock { events.map(\.stage) } }
}

/// An audit trail that remembers what it was told.
final class RecordingAuditTrail: AdminAuditTrail, @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [String] = []
    func record(actor: String, action: String, subject: String, details: [String: String]) async throws {
        lock.withLock { entries.append("\(actor) \(action) \(subject) v\(details["version"] ?? "-")") }
    }
    var all: [String] { lock.withLock { entries } }
}

@Suite struct RetrainJobAuditTests {
    @Test func aJobRecordsTheRetrainAndTheActivationWithItsActor() async throws {
        let root = try ServerFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let folder = try RetrainingTests.trainedClassifier(in: root)
        let store = InMemoryStore()
        let registry = ModelRegistry(store: store.models, options: BatchingOptions())
        defer { registry.shutdown() }
        _ = try await registry.register(name: "sentiment", path: folder.path)
        let before = try FineTunedModel.load(folder).classify(RetrainingTests.neutralTexts.map { ($0, nil) }).map(\.label)
        let service = FeedbackService(store: store.feedback, registry: registry, storedText: .off)
        for (text, label) in zip(RetrainingTests.neutralTexts, before.map(RetrainingTests.flipped)) {
            _ = try await service.submit(.classification(model: "sentiment", input: text, label: label), user: nil, keyID: "k")
        }
        var options = RetrainingTests.options
        options.margin = 1
        let audit = RecordingAuditTrail()
        let jobs = RetrainJobs(
            registry: registry, retrainers: [FineTunedModelRetrainer(registry: registry, feedback: store.feedback, options: options)],
            audit: audit)
        let job = try jobs.start(model: "sentiment", actor: "key123")
        #expect(job.state == .running)
        let final = try #require(await jobs.wait(id: job.id))
        #expect(final.state == .succeeded, "\(final)")
        #expect(final.outcome?.activated == true)
        #expect(final.stage == "register" && final.progress == 1)
        #expect(audit.all == ["key123 model.retrain sentiment v2", "key123 model.activate sentiment v2"])
        #expect(jobs.all.map(\.id) == [job.id])
        #expect(throws: RegistryError.unknownModel(name: "nope")) { try jobs.start(model: "nope", actor: "k") }
    }

    /// A trail that refuses every record.
    struct RefusingAuditTrail: AdminAuditTrail {
        struct Refused: Error {}
        func record(actor: String, action: String, subject: String, details: [String: String]) async throws { throw Refused() }
    }

    @Test func aRefusingTrailLeavesTheRetrainSucceededAndSaysSo() async throws {
        let root = try ServerFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let folder = try RetrainingTests.trainedClassifier(in: root)
        let store = InMemoryStore()
        let registry = ModelRegistry(store: store.models, options: BatchingOptions())
        defer { registry.shutdown() }
        _ = try await registry.register(name: "sentiment", path: folder.path)
        let service = FeedbackService(store: store.feedback, registry: registry, storedText: .off)
        _ = try await service.submit(.classification(model: "sentiment", input: "john and mary", label: "pos"), user: nil, keyID: "k")
        let jobs = RetrainJobs(
            registry: registry,
            retrainers: [FineTunedModelRetrainer(registry: registry, feedback: store.feedback, options: RetrainingTests.options)],
            audit: RefusingAuditTrail())
        let job = try jobs.start(model: "sentiment", actor: "k")
        let final = try #require(await jobs.wait(id: job.id))
        #expect(final.state == .succeeded)
        #expect(final.outcome?.newVersion == 2)
        #expect(final.error?.hasPrefix("audit trail: ") == true, "\(String(describing: final.error))")
    }
}
