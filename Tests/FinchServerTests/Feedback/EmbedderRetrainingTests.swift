import FinchApps
import FinchServer
import FinchTrain
import Foundation
import Testing

/// Guarded retraining of an embedder from the assistant's feedback, on the
/// tiny embedder `mini` (hidden 32, random weights) serving one FAQ collection
/// whose entries have near-paraphrases as alternatives (the replay and held-out set).
@Suite(.serialized) struct EmbedderRetrainingTests {
    /// Six entries, three alternatives each.
    static let entries = [
        FAQEntry(
            id: "good", question: "the movie was good", answers: ["Glad you liked it."],
            alternatives: ["the movie is good", "good movie", "the film was good"]),
        FAQEntry(
            id: "boring", question: "the plot is boring", answers: ["Sorry about that."],
            alternatives: ["the plot was boring", "boring plot", "the story is boring"]),
        FAQEntry(
            id: "actor", question: "i love the actor", answers: ["So do we."],
            alternatives: ["love the actor", "the actor is great", "i love that actor"]),
        FAQEntry(
            id: "awful", question: "the film was awful", answers: ["We will do better."],
            alternatives: ["awful film", "the film is awful", "a very awful film"]),
        FAQEntry(
            id: "paris", question: "john met mary in paris", answers: ["A love story."],
            alternatives: ["john and mary met in paris", "mary met john in paris", "john met mary at paris"]),
        FAQEntry(
            id: "berlin", question: "acme corp works in berlin", answers: ["Its office is there."],
            alternatives: ["acme works in berlin", "acme corp is in berlin", "the corp works in berlin"]),
    ]

    /// Queries sharing no word with the entry people chose for them: only training can match them.
    static let accepted: [(query: String, entry: String)] = [
        ("smith visited london", "boring"), ("hate and fun", "actor"), ("not very fun at all", "good"),
        ("smith works for mary", "awful"), ("visited the london corp", "paris"),
    ]

    /// The retrain settings of these tests: the tiny random encoder needs far more than 2e-5 and one epoch.
    static var options: RetrainOptions {
        var o = RetrainOptions()
        o.contrastive.epochs = 30
        o.contrastive.learningRate = 5e-3
        return o
    }

    /// A registry serving `mini`, an assistant serving the collection `faq` with it, and the feedback service.
    struct Setup {
        let root: URL
        let store = InMemoryStore()
        let registry: ModelRegistry
        let assistant: AssistantService
        let feedback: FeedbackService

        init() async throws {
            root = try ServerFixture.temporaryDirectory()
            registry = ModelRegistry(store: store.models, options: BatchingOptions())
            _ = try await registry.register(name: "mini", path: try ServerFixture.modelFolders(in: root).embedder.path)
            assistant = AssistantService(store: store.assistant, embedding: AssistantService.registryEmbedding(registry))
            try await assistant.importCollection(
                FAQCollection(entries: EmbedderRetrainingTests.entries), name: "faq", options: AssistantImportOptions(model: "mini"))
            feedback = FeedbackService(store: store.feedback, registry: registry, storedText: .off, assistant: assistant)
        }

        func submit(_ pairs: [(query: String, entry: String?)]) async throws {
            for (query, entry) in pairs {
                _ = try await feedback.submit(.answer(collection: "faq", query: query, entry: entry), user: nil, keyID: "k")
            }
        }

        func retrainer(_ options: RetrainOptions = EmbedderRetrainingTests.options) -> EmbedderRetrainer {
            EmbedderRetrainer(registry: registry, feedback: store.feedback, assistant: assistant, options: options)
        }

        func remove() {
            registry.shutdown()
            try? FileManager.default.removeItem(at: root)
        }
    }

    @Test func acceptedAnswersAreLearntAndTheNewVersionServesTheCollection() async throws {
        let setup = try await Setup()
        defer { setup.remove() }
        try await setup.submit(Self.accepted.map { ($0.query, $0.entry) } + [("can i pay by cheque", nil)])
        let before = try setup.assistant.collection(named: "faq").entries
        let events = EventLog()
        let outcome = try await setup.retrainer().retrain(model: "mini") { events.add($0) }
        #expect(outcome.previousVersion == 1 && outcome.newVersion == 2)
        let newest = try #require(try await setup.registry.versions().last)
        let report = try #require(try RetrainReport.read(from: URL(fileURLWithPath: newest.path)))
        // Five pairs (the "none of these" is not one), none held out below 10; the accepted queries became
        // alternatives, and are kept out of the replay: 18 alternative → question pairs, 4 of them held out.
        #expect(report.metric == "hit_at_1" && report.feedbackExamples == 5 && report.feedbackHeldOut == 0)
        #expect(report.heldOutExamples == 4 && report.replayExamples == 14)
        let oldFeedback = try #require(outcome.previousMetrics["feedback_hit_at_1"])
        let newFeedback = try #require(outcome.newMetrics["feedback_hit_at_1"])
        #expect(oldFeedback <= 0.4, "the base should not already retrieve the arbitrary pairs (\(oldFeedback))")
        #expect(newFeedback >= 0.6 && newFeedback > oldFeedback, "feedback hit@1 \(oldFeedback) → \(newFeedback)")
        #expect(outcome.newMetrics["feedback_mrr_at_10"] != nil && outcome.newMetrics["heldout_mrr_at_10"] != nil)
        let oldHeld = try #require(outcome.previousMetrics["heldout_hit_at_1"])
        let newHeld = try #require(outcome.newMetrics["heldout_hit_at_1"])
        #expect(newHeld >= oldHeld - Self.options.margin, "held-out hit@1 \(oldHeld) → \(newHeld)")
        #expect(outcome.activated, "\(outcome.reason)")
        #expect(try setup.registry.model(named: "mini").version == 2)
        #expect(outcome.reason.hasSuffix("re-embedded 1 collection with version 2"), "\(outcome.reason)")
        // The collection was re-embedded with version 2: its vectors changed, and the accepted queries are answered
        // (they are alternatives of their entries now, so this holds for any embedder; it checks nothing fails).
        let after = try setup.assistant.collection(named: "faq").entries
        #expect(after.map(\.entry) == before.map(\.entry))
        #expect(after.map(\.vectors) != before.map(\.vectors))
        var answered = 0
        for (query, entry) in Self.accepted {
            if try await setup.assistant.ask(query, session: "s", user: nil, in: "faq").answer.entry == entry { answered += 1 }
        }
        #expect(answered == Self.accepted.count, "\(answered) of \(Self.accepted.count) answered by the entry chosen")
        let stored = try await setup.store.assistant.assistantEntries(collection: "faq")
        #expect(stored.map(\.vectors) == after.map(\.vectors), "the re-embedded vectors are stored")
        #expect(events.stages.contains("train") && events.stages.last == "register")
    }

    @Test func theGuardRefusesAVersionTrainedOnCorruptedAnswers() async throws {
        let setup = try await Setup()
        defer { setup.remove() }
        // Every alternative, reworded, answered by the next entry.
        var corrupted: [(query: String, entry: String?)] = []
        for (i, e) in Self.entries.enumerated() {
            let wrong = Self.entries[(i + 1) % Self.entries.count].id
            for a in e.alternatives { corrupted += [(a + " .", wrong), (". " + a, wrong)] }
        }
        try await setup.submit(corrupted)
        let before = try setup.assistant.collection(named: "faq").entries.map(\.vectors)
        let outcome = try await setup.retrainer().retrain(model: "mini") { _ in }
        let oldHeld = try #require(outcome.previousMetrics["heldout_hit_at_1"])
        try #require(oldHeld >= 0.75, "the base must find the held-out paraphrases for the check to mean anything (\(oldHeld))")
        #expect(try #require(outcome.newMetrics["heldout_hit_at_1"]) < oldHeld - Self.options.margin)
        #expect(!outcome.activated)
        #expect(outcome.newVersion == 2)
        #expect(outcome.reason.contains("held-out retrieval hit@1 fell"), "\(outcome.reason)")
        #expect(try setup.registry.model(named: "mini").version == 1)
        #expect(try await setup.registry.versions().map(\.active) == [true, false])
        let newest = try #require(try await setup.registry.versions().last)
        let report = try #require(try RetrainReport.read(from: URL(fileURLWithPath: newest.path)))
        #expect(!report.activated && report.feedbackHeldOut > 0 && report.feedbackEvaluation == "held-out feedback")
        // Nothing was re-embedded: the collection still holds version 1's vectors.
        #expect(try setup.assistant.collection(named: "faq").entries.map(\.vectors) == before)
    }

    @Test func activatingAnotherVersionReembedsTheCollectionsItServes() async throws {
        let setup = try await Setup()
        defer { setup.remove() }
        setup.assistant.followVersionSwaps(of: setup.registry)
        try await setup.submit(Self.accepted.map { ($0.query, $0.entry) })
        let v1 = try setup.assistant.collection(named: "faq").entries
        let outcome = try await setup.retrainer().retrain(model: "mini") { _ in }
        try #require(outcome.activated, "\(outcome.reason)")
        // The swap notice and the retrainer both asked; the collection was re-embedded once, with version 2.
        #expect(outcome.reason.hasSuffix("re-embedded 1 collection with version 2"), "\(outcome.reason)")
        let v2 = try setup.assistant.collection(named: "faq").entries.map(\.vectors)
        #expect(v2 != v1.map(\.vectors))
        // An admin activates version 1 again: the collection follows, and is answered all along.
        _ = try await setup.registry.activate(name: "mini", version: 1)
        let deadline = Date().addingTimeInterval(30)
        while try setup.assistant.collection(named: "faq").entries.map(\.vectors) != v1.map(\.vectors) && Date() < deadline {
            _ = try await setup.assistant.ask("the movie was good", session: "s", user: nil, in: "faq")
            try await Task.sleep(nanoseconds: 20_000_000)
        }
        #expect(try setup.assistant.collection(named: "faq").entries.map(\.vectors) == v1.map(\.vectors))
        #expect(try await setup.store.assistant.assistantEntries(collection: "faq").map(\.vectors) == v1.map(\.vectors))
    }

    @Test func collectionsEmbeddedByAnotherVersionAreFoundAndRedone() async throws {
        let setup = try await Setup()
        defer { setup.remove() }
        #expect(try await setup.assistant.reembedStaleCollections().isEmpty, "a fresh collection is up to date")
        try await setup.submit(Self.accepted.map { ($0.query, $0.entry) })
        var options = Self.options
        options.margin = -1  // refused whatever it scores: registered inactive, nothing re-embedded
        let outcome = try await setup.retrainer(options).retrain(model: "mini") { _ in }
        try #require(!outcome.activated && outcome.newVersion == 2)
        let v1 = try setup.assistant.collection(named: "faq").entries.map(\.vectors)
        // Activated with nobody following the swap: the stored vectors are version 1's.
        _ = try await setup.registry.activate(name: "mini", version: 2)
        #expect(try setup.assistant.collection(named: "faq").entries.map(\.vectors) == v1)
        #expect(try await setup.assistant.reembedStaleCollections() == ["faq"])
        let v2 = try setup.assistant.collection(named: "faq").entries.map(\.vectors)
        #expect(v2 != v1)
        #expect(try await setup.assistant.reembedStaleCollections().isEmpty)
    }

    @Test func withoutAlternativesToHoldOutTheNewVersionStaysInactive() async throws {
        let setup = try await Setup()
        defer { setup.remove() }
        let bare = Self.entries.map { FAQEntry(id: $0.id, question: $0.question, answers: $0.answers) }
        try await setup.assistant.importCollection(
            FAQCollection(entries: bare), name: "faq", options: AssistantImportOptions(model: "mini"))
        // Accepted answers are not replay: the queries added as alternatives are feedback.
        try await setup.submit(Self.accepted.map { ($0.query, $0.entry) })
        let outcome = try await setup.retrainer().retrain(model: "mini") { _ in }
        #expect(outcome.newVersion == 2 && !outcome.activated)
        #expect(outcome.reason.hasPrefix("the collections served with it have no alternative phrasings to hold out"), "\(outcome.reason)")
        #expect(outcome.newMetrics["heldout_hit_at_1"] == nil && outcome.newMetrics["feedback_hit_at_1"] != nil)
        #expect(try setup.registry.model(named: "mini").version == 1)
    }

    @Test func withoutCollectionsOrAcceptedAnswersNothingIsTrained() async throws {
        let setup = try await Setup()
        defer { setup.remove() }
        try await setup.submit([("can i pay by cheque", nil)])
        let outcome = try await setup.retrainer().retrain(model: "mini") { _ in }
        #expect(outcome.newVersion == nil && !outcome.activated)
        #expect(outcome.reason.hasPrefix("no accepted assistant answers"), "\(outcome.reason)")
        try await setup.assistant.delete(name: "faq")
        let none = try await setup.retrainer().retrain(model: "mini") { _ in }
        #expect(none.newVersion == nil && none.reason.hasPrefix("no assistant collection is served with \"mini\""))
        #expect(try await setup.registry.versions().count == 1)
        await #expect(throws: RetrainError.noActiveVersion(model: "nope")) {
            try await setup.retrainer().retrain(model: "nope") { _ in }
        }
    }
}
