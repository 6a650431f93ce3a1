import FinchApps
import FinchRecommend
import FinchServer
import Foundation
import Testing

/// Two recommendation services (two instances) on one store: each folds in the events the other
/// acknowledged — at its next write, before its own events, and at `catchUp()`.
@Suite struct RecommendCatchUpTests {
    static func second(_ s: RecommendServiceTests.Setup) async throws -> RecommendService {
        let registry = ModelRegistry(store: s.store.models, options: BatchingOptions())
        try await registry.loadActiveVersions()
        let service = RecommendService(settings: s.settings, repository: s.store.recommendEvents, registry: registry)
        try await service.load()
        return service
    }

    static func events(_ user: String, _ items: [Int]) -> [RecommendEventRecord] {
        items.enumerated().map { RecommendEventRecord(user: user, item: "i\($1)", type: "view", value: 1, time: Double($0)) }
    }

    @Test func aWriteFoldsInWhatTheOtherInstanceStoredFirst() async throws {
        let s = try await RecommendServiceTests.setUp()
        defer { try? FileManager.default.removeItem(at: s.dir) }
        let b = try await Self.second(s)
        _ = try await s.service.record(Self.events("through-a", [1, 3, 5]))
        #expect(try await b.profile(user: "through-a").profile.lastEvents.isEmpty, "B has not seen A's events yet")
        // B's own write comes after A's in the store; B folds A's in first instead of skipping them.
        let result = try await b.record(Self.events("through-b", [2]))
        #expect(result.accepted == 1)
        #expect(try await b.profile(user: "through-a").profile.lastEvents.count == 3)
        #expect(try await b.recommend(user: "through-a", query: RecommendationQuery(count: 5)).served.source == .personal)
        #expect(try await s.service.catchUp() == 1, "A folds in B's one event")
        #expect(try await s.service.profile(user: "through-b").profile.lastEvents.count == 1)
        #expect(try await s.service.catchUp() == 0, "nothing new")
    }

    @Test func catchUpFoldsInTheOtherInstancesEvents() async throws {
        let s = try await RecommendServiceTests.setUp()
        defer { try? FileManager.default.removeItem(at: s.dir) }
        let b = try await Self.second(s)
        _ = try await s.service.record(Self.events("only-a", [20, 21, 22]))
        #expect(try await b.recommend(user: "only-a", query: RecommendationQuery(count: 5)).served.source != .personal)
        #expect(try await b.catchUp() == 3)
        #expect(try await b.recommend(user: "only-a", query: RecommendationQuery(count: 5)).served.source == .personal)
        #expect(try await b.catchUp() == 0)
    }
}
