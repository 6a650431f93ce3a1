import FinchApps
import FinchRecommend
import FinchServer
import FinchSupport
import Foundation
import Testing

/// The recommendation service without HTTP: consent, erasure and guarded retraining.
@Suite struct RecommendServiceTests {
    struct Setup {
        let dir: URL
        let store: SQLiteStore
        let registry: ModelRegistry
        let settings: RecommendSettings
        let service: RecommendService
    }

    static func setUp(margin: Double = 0.02, consent: (any ConsentLookup)? = nil) async throws -> Setup {
        let dir = try ServerFixture.temporaryDirectory()
        let folder = try RecommendTestData.modelFolder(in: dir)
        let store = try SQLiteStore(path: dir.appendingPathComponent("finch.sqlite").path)
        let registry = ModelRegistry(store: store.models, options: BatchingOptions())
        _ = try await registry.register(name: "recs", path: folder.path)
        for item in RecommendTestData.catalogue() { try await store.recommendEvents.putItem(item) }
        let settings = RecommendSettings(
            model: "recs", eventWeights: EventWeights(weights: ["view": 1, "like": 3]), retrainMargin: margin,
            modelsDirectory: dir.appendingPathComponent("versions").path)
        let service = RecommendService(settings: settings, repository: store.recommendEvents, registry: registry, consent: consent)
        try await service.load()
        return Setup(dir: dir, store: store, registry: registry, settings: settings, service: service)
    }

    static func list(_ s: Setup, _ user: String) async throws -> ServiceRecommendations {
        try await s.service.recommend(user: user, query: RecommendationQuery(count: 10))
    }

    @Test func withoutPersonalizationConsentTheListIsThePopularOne() async throws {
        let s = try await Self.setUp(consent: FixedConsent(refusing: ["u2"]))
        defer { try? FileManager.default.removeItem(at: s.dir) }
        let refused = try await Self.list(s, "u2")
        #expect(!refused.personalized && refused.served.source == .popular)
        let anonymous = try await Self.list(s, "someone-new")
        #expect(refused.served.items == anonymous.served.items, "nothing of the user's history is used")
        let allowed = try await Self.list(s, "u4")
        #expect(allowed.personalized && allowed.served.source == .personal)
    }

    @Test func erasingAUserRemovesTheirDataAndChangesNoOneElsesList() async throws {
        let s = try await Self.setUp()
        defer { try? FileManager.default.removeItem(at: s.dir) }
        _ = try await s.service.record([
            RecommendEventRecord(user: "u0", item: "i20", type: "like", value: 1, time: 1),
            RecommendEventRecord(user: "u1", item: "i2", type: "view", value: 1, time: 2),
        ])
        let others = ["u1", "u2", "u3", "u5"]
        var before: [String: [ServedItem]] = [:]
        for user in others { before[user] = try await Self.list(s, user).served.items }
        #expect(try await Self.list(s, "u0").served.source == .personal)
        let eraser = RecommendUserEraser(service: s.service)
        #expect(eraser.dataName == "recommendation events")
        #expect(try await eraser.eraseUser("u0") == 2)  // the stored event and the user row
        #expect(try await s.store.recommendEvents.events(user: "u0").isEmpty)
        #expect(try await s.store.recommendEvents.user(id: "u0") == nil)
        let after = try await Self.list(s, "u0")
        #expect(after.served.source == .popular, "the learnt row and the training events are gone too")
        for user in others { #expect(try await Self.list(s, user).served.items == before[user], "\(user)'s list changed") }
    }

    /// Store events where each new user views one item of their taste and
    /// later another (held out): the old version (items learnt on the full
    /// data, the user folded in) ranks the held-out item far better than a
    /// model rebuilt from these few events alone.
    static func sparseEvents(_ s: Setup) async throws {
        var g = RecommendTestData.Generator(state: 99)
        var events: [RecommendEventRecord] = []
        for n in 0..<24 {
            let base = n % 2 == 0 ? 0 : 15
            let first = base + g.int(15)
            var second = base + g.int(15)
            while second == first { second = base + g.int(15) }
            events.append(RecommendEventRecord(user: "n\(n)", item: "i\(first)", type: "view", value: 1, time: Double(10 * n)))
            events.append(RecommendEventRecord(user: "n\(n)", item: "i\(second)", type: "view", value: 1, time: Double(10 * n + 5)))
        }
        _ = try await s.service.record(events)
    }

    @Test func theRetrainGuardRefusesAWorseModel() async throws {
        let s = try await Self.setUp()
        defer { try? FileManager.default.removeItem(at: s.dir) }
        try await Self.sparseEvents(s)
        let retrainer = RecommendRetrainer(
            settings: s.settings, repository: s.store.recommendEvents, registry: s.registry, service: s.service)
        #expect(retrainer.kinds == [.recommender])
        let stages = Stages()
        let outcome = try await retrainer.retrain(model: "recs") { stages.add($0.stage) }
        let old = try #require(outcome.previousMetrics["ndcg_at_10"]), new = try #require(outcome.newMetrics["ndcg_at_10"])
        #expect(new < old * 0.98, "the rebuilt model should be worse here: \(new) vs \(old)")
        #expect(!outcome.activated)
        #expect(outcome.newVersion == 2 && outcome.previousVersion == 1)
        #expect(outcome.reason.contains("worse"))
        #expect(try s.registry.model(named: "recs").version == 1, "the old version stays active")
        #expect(s.service.servedVersion == 1)
        let versions = try await s.registry.versions()
        #expect(versions.map(\.active) == [true, false], "the refused version is registered, not active")
        #expect(stages.all.contains("evaluating") && stages.all.last == "done")
    }

    @Test func aRetrainWithinTheMarginIsActivatedAndLaterEventsAreFoldedIn() async throws {
        let s = try await Self.setUp(margin: 1)
        defer { try? FileManager.default.removeItem(at: s.dir) }
        try await Self.sparseEvents(s)
        let retrainer = RecommendRetrainer(
            settings: s.settings, repository: s.store.recommendEvents, registry: s.registry, service: s.service)
        let outcome = try await retrainer.retrain(model: "recs") { _ in }
        #expect(outcome.activated && outcome.newVersion == 2)
        #expect(s.service.servedVersion == 2)
        // The new version learnt from the stored events only, and knows through which sequence.
        let record = try s.registry.model(named: "recs").record
        #expect(try TrainedThrough.read(folder: URL(fileURLWithPath: record.path)).sequence == 48)
        // and carries its model card, naming the version it was retrained from.
        let card = try String(contentsOf: URL(fileURLWithPath: record.path).appendingPathComponent("README.md"), encoding: .utf8)
        #expect(card.hasPrefix("---\n") && card.contains("retrain of version 1"), "\(card.prefix(2000))")
        // An event after the swap folds in at once; a second retrain without new events makes nothing.
        _ = try await s.service.record([
            RecommendEventRecord(user: "late", item: "i1", type: "view", value: 1, time: 1000),
            RecommendEventRecord(user: "late", item: "i2", type: "view", value: 1, time: 1001),
            RecommendEventRecord(user: "late", item: "i4", type: "view", value: 1, time: 1002),
        ])
        #expect(try await Self.list(s, "late").served.source == .personal)
        try await s.service.load()
        #expect(try await Self.list(s, "late").served.source == .personal, "a reload folds the stored events in again")
        let again = try await RecommendRetrainer(settings: s.settings, repository: s.store.recommendEvents, registry: s.registry)
            .retrain(model: "recs") { _ in }
        #expect(again.newVersion == nil || again.newVersion == 3)
    }
}

extension RecommendServiceTests {
    @Test func retrainingAHybridBuildsAHybridAgain() async throws {
        let dir = try ServerFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let hybrid = try HybridTrainer.build(
            RecommendTestData.dataset(), algorithm: .als, parameters: ["factors": "4", "alpha": "4", "seed": "1"],
            embeddings: RecommendTestData.features())
        let folder = dir.appendingPathComponent("hybrid")
        try hybrid.save(
            to: folder,
            catalog: (0..<30).map { CatalogItem(id: "i\($0)", title: "Item \($0)", categories: [RecommendTestData.category($0)]) })
        let store = try SQLiteStore(path: dir.appendingPathComponent("finch.sqlite").path)
        let registry = ModelRegistry(store: store.models, options: BatchingOptions())
        _ = try await registry.register(name: "recs", path: folder.path)
        let settings = RecommendSettings(
            model: "recs", eventWeights: EventWeights(weights: ["view": 1]), retrainMargin: 1,
            modelsDirectory: dir.appendingPathComponent("versions").path)
        let service = RecommendService(settings: settings, repository: store.recommendEvents, registry: registry)
        try await service.load()
        // 30 users with 8 views each in their taste's category: enough for the blend's validation split.
        var g = RecommendTestData.Generator(state: 5)
        var events: [RecommendEventRecord] = []
        for n in 0..<30 {
            var chosen = Set<Int>()
            while chosen.count < 8 { chosen.insert((n % 2 == 0 ? 0 : 15) + g.int(15)) }
            for (k, i) in chosen.sorted().enumerated() {
                events.append(RecommendEventRecord(user: "h\(n)", item: "i\(i)", type: "view", value: 1, time: Double(100 * n + k)))
            }
        }
        _ = try await service.record(events)
        let outcome = try await RecommendRetrainer(
            settings: settings, repository: store.recommendEvents, registry: registry, service: service
        )
        .retrain(model: "recs") { _ in }
        #expect(outcome.activated && outcome.newVersion == 2, "\(outcome)")
        let path = URL(fileURLWithPath: try registry.model(named: "recs").record.path)
        #expect(HybridModel.exists(in: path), "the new version is a hybrid with its blend and item texts")
        let (rebuilt, catalog) = try HybridModel.load(from: path)
        #expect(catalog.count == 30 && catalog.first { $0.id == "i3" }?.title == "Item 3")
        #expect(rebuilt.embeddings.present.filter { $0 }.count == 30)
        let list = try await service.recommend(user: "h0", query: RecommendationQuery(count: 5))
        #expect(list.version == 2 && list.served.source == .personal)
    }
}

/// Progress stages heard, in order.
final class Stages: @unchecked Sendable {
    private let lock = NSLock()
    private var stages: [String] = []
    func add(_ stage: String) { lock.withLock { stages.append(stage) } }
    var all: [String] { lock.withLock { stages } }
}
