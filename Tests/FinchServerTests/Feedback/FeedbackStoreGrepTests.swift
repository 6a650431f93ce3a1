import FinchApps
import FinchServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// A PII value sent in feedback is nowhere in the database's bytes: the SQLite
/// files (database and write-ahead log) and a dump of the PostgreSQL database.
@Suite struct FeedbackStoreGrepTests {
    static let email = "zoe.quinn.7731@example.net"
    static let phone = "+44 20 7946 0958"

    static func post(_ client: some TestClientProtocol, key: String) async throws {
        try await FeedbackEndpointTests.createFAQ(client, key: key)
        let bodies = [
            #"{"model": "sentiment", "input": "mail \#(email) or call \#(phone) please", "label": "neutral"}"#,
            #"{"model": "ner", "input": "Zoe at \#(email) in Paris", "entities": [{"start": 0, "end": 3, "type": "PER"}]}"#,
            #"{"collection": "faq", "query": "my address is \#(email)", "entry": "contact"}"#,
        ]
        for body in bodies {
            let r = try await client.send(.post, "/v1/feedback", key: key, raw: body)
            #expect(r.status == .created, "\(String(buffer: r.body))")
        }
    }

    static func assertAbsent(_ bytes: Data, where place: String) {
        for secret in [email, phone] {
            #expect(bytes.range(of: Data(secret.utf8)) == nil, "\(place) holds \(secret)")
        }
    }

    @Test func sqliteFilesHoldNoPIIFromFeedback() async throws {
        let fixture = try await ServerFixture()
        defer { fixture.remove() }
        try await fixture.app().test(.router) { client in try await Self.post(client, key: fixture.writeKey) }
        let stored = try await fixture.store.feedback.feedback(FeedbackQuery())
        #expect(stored.count == 3)
        #expect(stored.allSatisfy { $0.input != nil })
        let folder = URL(fileURLWithPath: fixture.configuration.dataDirectory)
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        #expect(files.contains("finch.sqlite"))
        for file in files {
            Self.assertAbsent(try Data(contentsOf: folder.appendingPathComponent(file)), where: file)
        }
    }

    /// Needs `FINCH_TEST_POSTGRES_URL` and `pg_dump` (Tools/test.sh installs PostgreSQL).
    @Test func postgresDumpHoldsNoPIIFromFeedback() async throws {
        let url = try #require(
            ProcessInfo.processInfo.environment["FINCH_TEST_POSTGRES_URL"],
            "set FINCH_TEST_POSTGRES_URL (Tools/test.sh starts a throw-away PostgreSQL)")
        let pgDump = try #require(
            (try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql"))?.sorted().last.map {
                "/usr/lib/postgresql/\($0)/bin/pg_dump"
            }, "pg_dump (Debian's postgresql package)")
        let store = try await PostgresStore(url: url)
        let fixture = try await ServerFixture()
        defer { fixture.remove() }
        let keyStore = fixture.store
        // The same keys on the PostgreSQL store, so the fixture's keys work there.
        for key in try await keyStore.allKeys() where try await store.key(id: key.id) == nil { try await store.insert(key) }
        let app = try await buildApplication(configuration: fixture.configuration, store: store, logSink: { _ in })
        try await app.test(.router) { client in try await Self.post(client, key: fixture.writeKey) }
        let dump = Process()
        dump.executableURL = URL(fileURLWithPath: pgDump)
        dump.arguments = ["--data-only", "--dbname", url]
        let pipe = Pipe()
        dump.standardOutput = pipe
        try dump.run()
        let bytes = pipe.fileHandleForReading.readDataToEndOfFile()
        dump.waitUntilExit()
        #expect(dump.terminationStatus == 0)
        #expect(bytes.range(of: Data("my address is".utf8)) != nil, "the dump holds the feedback rows")
        Self.assertAbsent(bytes, where: "pg_dump")
        try await store.close()
    }
}
