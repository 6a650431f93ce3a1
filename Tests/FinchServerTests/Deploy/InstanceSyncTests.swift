import FinchApps
import FinchServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Two instances of the service — two apps built by the composition root, each with its own
/// PostgreSQL client — on one database, as nginx would balance them: what is written or activated
/// through one is served by the other within `Self.within` seconds (the instances reload every
/// `interval` seconds). Needs `FINCH_TEST_POSTGRES_URL` (Tools/test.sh starts a throw-away PostgreSQL).
@Suite(.serialized) struct InstanceSyncTests {
    static let interval = 0.5
    static let within = 6.0

    /// The shared database holds other tests' rows too, so every name here is this run's own.
    struct Instances {
        let root: URL
        let tag: String
        let stores: [PostgresStore]
        let configurations: [ServerConfiguration]
        let readKey: String
        let writeKey: String
        let adminKey: String
        let classifier: URL
        var embedder: String { "mini-\(tag)" }
        var sentiment: String { "sentiment-\(tag)" }
        var recs: String { "recs-\(tag)" }

        static func make(interval: Double = InstanceSyncTests.interval) async throws -> Instances {
            let url = try #require(
                ProcessInfo.processInfo.environment["FINCH_TEST_POSTGRES_URL"],
                "set FINCH_TEST_POSTGRES_URL (Tools/test.sh starts a throw-away PostgreSQL)")
            let root = try ServerFixture.temporaryDirectory()
            let tag = String(UUID().uuidString.prefix(8)).lowercased()
            let folders = try ServerFixture.modelFolders(in: root)
            let recsFolder = try RecommendTestData.modelFolder(in: root)
            var stores: [PostgresStore] = []
            var configurations: [ServerConfiguration] = []
            for n in 0..<2 {
                var config = ServerConfiguration()
                config.port = 0
                config.databaseURL = url
                config.dataDirectory = root.appendingPathComponent("data-\(n)").path
                config.reloadIntervalSeconds = interval
                config.models = [
                    .init(name: "mini-\(tag)", path: folders.embedder.path), .init(name: "sentiment-\(tag)", path: folders.classifier.path),
                    .init(name: "recs-\(tag)", path: recsFolder.path),
                ]
                config.recommend.model = "recs-\(tag)"
                config.recommend.eventWeights.weights = ["view": 1, "like": 3]
                configurations.append(config)
                stores.append(try await PostgresStore(url: url))
            }
            for item in RecommendTestData.catalogue() { try await stores[0].recommendEvents.putItem(item) }
            var keys: [String] = []
            for scope in [APIKeyScope.read, .write, .admin] {
                let (key, record) = APIKeyHasher.generate(name: "sync-\(tag)-\(scope.rawValue)", scope: scope)
                try await stores[0].insert(record)
                keys.append(key)
            }
            return Instances(
                root: root, tag: tag, stores: stores, configurations: configurations, readKey: keys[0], writeKey: keys[1],
                adminKey: keys[2], classifier: folders.classifier)
        }

        /// Runs `body` with a live client of each instance (both serving at once).
        func withBoth(_ body: @escaping @Sendable (any TestClientProtocol, any TestClientProtocol) async throws -> Void) async throws {
            let a = try await buildApplication(configuration: configurations[0], store: stores[0], logSink: { _ in })
            let b = try await buildApplication(configuration: configurations[1], store: stores[1], logSink: { _ in })
            try await a.test(.live) { clientA in
                try await b.test(.live) { clientB in try await body(clientA, clientB) }
            }
        }

        func remove() async {
            for store in stores { try? await store.close() }
            try? FileManager.default.removeItem(at: root)
        }
    }

    /// Polls `check` until it holds or `seconds` pass; true when it held.
    static func eventually(_ seconds: Double = within, _ check: () async throws -> Bool) async throws -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        repeat {
            if try await check() { return true }
            try await Task.sleep(nanoseconds: 100_000_000)
        } while Date() < deadline
        return try await check()
    }

    static func servedVersion(_ client: any TestClientProtocol, model: String, key: String) async throws -> Int? {
        let r = try await client.send(.post, "/v1/classify", key: key, json: ["model": model, "inputs": ["fine"]])
        return r.status == .ok ? try r.object()["version"] as? Int : nil
    }

    @Test func aVersionActivatedOnOneInstanceIsServedByTheOther() async throws {
        let s = try await Instances.make()
        let (sentiment, read, admin, classifier) = (s.sentiment, s.readKey, s.adminKey, s.classifier.path)
        try await s.withBoth { a, b in
            #expect(try await Self.servedVersion(b, model: sentiment, key: read) == 1)
            var r = try await a.send(.post, "/v1/models", key: admin, json: ["name": sentiment, "path": classifier])
            #expect(r.status == .created)
            #expect(try await Self.servedVersion(a, model: sentiment, key: read) == 2, "A serves what it registered at once")
            #expect(try await Self.eventually { try await Self.servedVersion(b, model: sentiment, key: read) == 2 }, "B serves version 2")
            r = try await a.send(.post, "/v1/models/\(sentiment)/versions/1/activate", key: admin)
            #expect(r.status == .ok)
            #expect(try await Self.eventually { try await Self.servedVersion(b, model: sentiment, key: read) == 1 }, "B rolls back")
            // The listing the dashboard's models page reads says the same on both.
            let listing = { (client: any TestClientProtocol) async throws -> [String: Any]? in
                let models = try await client.send(.get, "/v1/models", key: read).object()["models"] as? [[String: Any]]
                return models?.first { $0["name"] as? String == sentiment }
            }
            let onA = try #require(try await listing(a)), onB = try #require(try await listing(b))
            #expect(onA["active_version"] as? Int == 1 && onB["active_version"] as? Int == 1)
            #expect((onA["versions"] as? [[String: Any]])?.count == 2 && (onB["versions"] as? [[String: Any]])?.count == 2)
        }
        await s.remove()
    }

    @Test func dataWrittenThroughOneInstanceIsReadThroughTheOther() async throws {
        let s = try await Instances.make()
        let (tag, embedder, sentiment, read, write, admin) = (s.tag, s.embedder, s.sentiment, s.readKey, s.writeKey, s.adminKey)
        try await s.withBoth { a, b in
            // A collection and its entries (B's search index is rebuilt from the store).
            let collection = "sync-\(tag)"
            #expect(try await a.send(.put, "/v1/collections/\(collection)", key: write, json: ["model": embedder]).status == .created)
            let added = try await a.send(
                .post, "/v1/collections/\(collection)/entries", key: write,
                json: ["entries": [["id": "e1", "text": "refunds take five days"], ["id": "e2", "text": "shipping is free"]]])
            #expect(added.status == .ok)
            #expect(
                try await Self.eventually {
                    let r = try await b.send(.get, "/v1/collections/\(collection)/entries", key: read)
                    guard r.status == .ok else { return false }
                    return (try r.object()["entries"] as? [[String: Any]])?.count == 2
                }, "B lists A's entries")
            let search = try await b.send(.post, "/v1/search", key: read, json: ["collection": collection, "query": "refunds", "top_k": 2])
            #expect(search.status == .ok, "\(String(buffer: search.body))")

            // Feedback (the dashboard's feedback page lists it).
            let posted = try await a.send(
                .post, "/v1/feedback", key: write, json: ["model": sentiment, "input": "sync \(tag)", "label": "positive"])
            #expect(posted.status == .created, "\(String(buffer: posted.body))")
            let listed = try await b.send(.get, "/v1/feedback?model=\(sentiment)", key: read).object()["feedback"] as? [[String: Any]]
            #expect(listed?.map { $0["label"] as? String } == ["positive"], "acknowledged means committed: B reads it at once")

            // A key made through A works on B at once; revoked through A, B refuses it within the cache's time.
            let created = try await a.send(.post, "/v1/keys", key: admin, json: ["scope": "read", "name": "sync-\(tag)"]).object()
            let key = try #require(created["key"] as? String), id = try #require(created["id"] as? String)
            #expect(try await b.send(.get, "/v1/models", key: key).status == .ok)
            #expect(try await a.send(.delete, "/v1/keys/\(id)", key: admin).status == .noContent)
            #expect(try await Self.eventually { try await b.send(.get, "/v1/models", key: key).status == .unauthorized })
        }
        await s.remove()
    }

    /// A collection made through A is known to B at its first request, not at B's next reload (an
    /// hour away here): a PUT and the POST of its entries may reach different instances.
    @Test func aCollectionMadeThroughOneInstanceTakesEntriesThroughTheOtherAtOnce() async throws {
        let s = try await Instances.make(interval: 3600)
        let (tag, embedder, read, write) = (s.tag, s.embedder, s.readKey, s.writeKey)
        try await s.withBoth { a, b in
            let collection = "at-once-\(tag)"
            #expect(try await a.send(.put, "/v1/collections/\(collection)", key: write, json: ["model": embedder]).status == .created)
            let added = try await b.send(
                .post, "/v1/collections/\(collection)/entries", key: write, json: ["entries": [["id": "e1", "text": "hello"]]])
            #expect(added.status == .ok, "\(String(buffer: added.body))")
            #expect(try await b.send(.get, "/v1/collections/\(collection)", key: read).status == .ok)
            let found = try await b.send(.post, "/v1/search", key: read, json: ["collection": collection, "query": "hello"])
            #expect(found.status == .ok)
            #expect(try await b.send(.get, "/v1/collections/nothing-\(tag)", key: read).status == .notFound)
        }
        await s.remove()
    }

    @Test func recommenderEventsAndErasuresReachTheOtherInstance() async throws {
        let s = try await Instances.make()
        let (tag, read, write, admin) = (s.tag, s.readKey, s.writeKey, s.adminKey)
        try await s.withBoth { a, b in
            let user = "sync-\(tag)"
            let events: [[String: Any]] = [
                ["user": user, "item": "i1", "type": "view"], ["user": user, "item": "i3", "type": "like"],
                ["user": user, "item": "i5", "type": "view"],
            ]
            #expect(try await a.send(.post, "/v1/events", key: write, json: ["events": events]).status == .ok)
            let source = { (client: any TestClientProtocol) async throws -> String? in
                try await client.send(.get, "/v1/users/\(user)/recommendations?k=3", key: read).object()["source"] as? String
            }
            #expect(try await source(a) == "personal")
            #expect(try await Self.eventually { try await source(b) == "personal" }, "B folded A's events in")
            let profile = try await b.send(.get, "/v1/users/\(user)/profile", key: read).object()
            #expect((profile["last_events"] as? [[String: Any]])?.count == 3)

            #expect(try await a.send(.delete, "/v1/users/\(user)", key: admin).status == .ok)
            #expect(
                try await Self.eventually { try await b.send(.get, "/v1/users/\(user)/profile", key: read).status == .notFound },
                "B dropped the erased user")
            #expect(try await source(b) == "popular")
        }
        await s.remove()
    }
}
