import FinchApps
import FinchServer
import FinchSupport
import FinchTrain
import Foundation
import Hummingbird
import HummingbirdTesting
import Synchronization
import Testing

/// The run store in the service's PostgreSQL database: the same contract as `runs.sqlite`, shared by
/// instances. Needs `FINCH_TEST_POSTGRES_URL` (Tools/test.sh starts a throw-away server and sets
/// it). The store blocks, so every call here goes through `RunStoreThread.run`, off the pool.
@Suite struct PostgresRunStoreTests {
    static func url() throws -> String {
        try #require(
            ProcessInfo.processInfo.environment["FINCH_TEST_POSTGRES_URL"],
            "set FINCH_TEST_POSTGRES_URL (Tools/test.sh starts a throw-away PostgreSQL)")
    }

    @Test func aRunReadsBackAsRecorded() async throws {
        let url = try Self.url()
        try await RunStoreThread.run {
            let store = try PostgresRunStore(url: url)
            defer { store.close() }
            var second: PostgresRunStore?
            defer { second?.close() }
            try RunStoreContract.aRunReadsBackAsRecorded(store) {
                second = try PostgresRunStore(url: url)
                return second!
            }
        }
    }

    @Test func lostRunsOfThisHostOnlyAreMarkedFailed() async throws {
        let url = try Self.url()
        try await RunStoreThread.run {
            let store = try PostgresRunStore(url: url)
            defer { store.close() }
            try RunStoreContract.lostRunsOfThisHostOnlyAreMarkedFailed(store)
        }
    }

    /// Two instances on one database: a run begun in one is listed by the other with its steps, and
    /// begins from several threads through both at once all get ids of their own.
    @Test func twoInstancesShareTheRunsAndIdsNeverCollide() async throws {
        let url = try Self.url()
        try await RunStoreThread.run {
            let a = try PostgresRunStore(url: url), b = try PostgresRunStore(url: url)
            defer {
                a.close()
                b.close()
            }
            let id = try a.begin(RunStoreContract.start)
            try a.record(run: id, points: [RunMetricPoint(step: 1, epoch: 0, name: "loss", value: 1)], best: nil, at: Date())
            #expect(try b.runs().contains { $0.id == id })
            #expect(try b.points(run: id).count == 1)
            #expect(try b.run(id: id)?.status == .running)

            let ids = Mutex<[Int]>([])
            let errors = Mutex<[String]>([])
            let threads = 6, each = 8
            let group = DispatchGroup()
            for t in 0..<threads {
                group.enter()
                let thread = Thread {
                    defer { group.leave() }
                    let store = t % 2 == 0 ? a : b
                    for _ in 0..<each {
                        do {
                            let id = try store.begin(RunStoreContract.start)
                            ids.withLock { $0.append(id) }
                        } catch {
                            errors.withLock { $0.append(String(describing: error)) }
                        }
                    }
                }
                thread.start()
            }
            group.wait()
            #expect(errors.withLock { $0 }.isEmpty, "\(errors.withLock { $0 })")
            let begun = ids.withLock { $0 }
            #expect(begun.count == threads * each && Set(begun).count == begun.count)
            let listedByA = Set(try a.runs().map(\.id)), listedByB = Set(try b.runs().map(\.id))
            #expect(Set(begun).isSubset(of: listedByA) && Set(begun).isSubset(of: listedByB))
        }
    }

    /// A retrain job on the service records into the database although the retrainer reports its
    /// steps from the cooperative pool (as the service's async retrainers do): the start and end go
    /// through a thread of their own, the steps through a serial queue the end waits for.
    @Test func aRetrainReportingFromThePoolIsRecordedInTheDatabase() async throws {
        let url = try Self.url()
        let store = try await RunStoreThread.run { try PostgresRunStore(url: url) }
        defer { store.close() }
        let model = "retrained-\(UUID().uuidString.prefix(8))"
        let registry = ModelRegistry(store: InMemoryStore().models, options: BatchingOptions())
        defer { registry.shutdown() }
        let retrainer = RunRecordingRetrainer(base: PoolRetrainer(), registry: registry, epochs: 2) { name in
            try RunRecorder(store: store, start: RunStart(kind: "retrain", model: name, command: "POST /v1/models/\(name)/retrain"))
        }
        let outcome = try await retrainer.retrain(model: model) { _ in }
        #expect(outcome.reason == "done")
        let run = try #require(try await RunStoreThread.run { try store.runs().first { $0.start.model == model } })
        #expect(run.status == .finished && run.steps == PoolRetrainer.steps && run.finalMetrics == ["accuracy": 0.9])
        let points = try await RunStoreThread.run { try store.points(run: run.id) }
        #expect(points.map(\.step) == Array(1...PoolRetrainer.steps))
        #expect(points.allSatisfy { $0.name == "loss" })
    }

    /// Reports training steps from its async body (the cooperative pool), as a recommender retrain does.
    struct PoolRetrainer: ModelRetrainer {
        static let steps = 20
        var kinds: Set<ModelKind> { [.classifier] }

        func retrain(model: String, progress: @escaping @Sendable (ProgressEvent) -> Void) async throws -> RetrainOutcome {
            for step in 1...Self.steps {
                progress(
                    ProgressEvent(
                        stage: "train", step: step, stepCount: Self.steps, elapsedSeconds: 0, metrics: ["loss": 1 / Double(step)]))
                await Task.yield()
            }
            return RetrainOutcome(
                model: model, newVersion: nil, previousVersion: nil, activated: false, reason: "done", previousMetrics: [:],
                newMetrics: ["accuracy": 0.9])
        }
    }

    /// A service on SQLite whose `runs_dir` is a `postgres://` URL reads that database's runs.
    @Test func aSQLiteServiceWithADatabaseRunsDirReadsItsRuns() async throws {
        let url = try Self.url()
        let id = try await RunStoreThread.run {
            let store = try PostgresRunStore(url: url)
            defer { store.close() }
            return try store.begin(RunStoreContract.start)
        }
        #expect(try ServerConfiguration.load(flags: ["runs_dir": url]).runsDirectory == url)
        let fixture = try await ServerFixture { $0.runsDirectory = url }
        defer { fixture.remove() }
        try await fixture.app().test(.router) { client in
            let listed = try await client.send(.get, "/v1/runs", key: fixture.readKey)
            #expect(listed.status == .ok)
            let runs = try #require(try listed.object()["runs"] as? [[String: Any]])
            #expect(runs.contains { $0["id"] as? Int == id })
            let shown = try await client.send(.get, "/v1/runs/\(id)", key: fixture.readKey)
            #expect(shown.status == .ok)
        }
    }

    /// A blocking call made on the cooperative pool is refused rather than risking a deadlock.
    @Test func aCallOnTheCooperativePoolIsRefused() async throws {
        let url = try Self.url()
        let store = try await RunStoreThread.run { try PostgresRunStore(url: url) }
        defer { store.close() }
        #expect(throws: RunStoreError.calledOnCooperativePool("runs")) { try store.runs() }
        #expect(try await RunStoreThread.run { try store.runs() }.count >= 0)
    }

    @Test func aURLThatCannotBeReadIsAnErrorNamingIt() async throws {
        await #expect {
            try await RunStoreThread.run { _ = try PostgresRunStore(url: "postgres://nobody@127.0.0.1:1") }
        } throws: { error in
            guard case .cannotOpen(let location, _) = error as? RunStoreError else { return false }
            return location.hasPrefix("postgres://nobody@127.0.0.1")
        }
    }
}
