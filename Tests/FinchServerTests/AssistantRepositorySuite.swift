import FinchApps
import FinchText
import Foundation
import Testing

@testable import FinchServer

/// A deterministic embedding for tests: each word (each CJK character) adds 1 to one of 16
/// buckets picked by FNV-1a of its lowercased text, so texts sharing words point the same way.
enum HashedEmbedding {
    static let dimension = 16

    static let embedding: AssistantEmbedding = { texts, _ in texts.map(vector) }

    static func vector(_ text: String) -> [Float] {
        var v = [Float](repeating: 0, count: dimension)
        var word = ""
        func flush() {
            guard !word.isEmpty else { return }
            var h: UInt64 = 0xcbf2_9ce4_8422_2325
            for b in word.lowercased().utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
            v[Int(h % UInt64(dimension))] += 1
            word = ""
        }
        for ch in text {
            if ch.isLetter || ch.isNumber { word.append(ch) } else { flush() }
            if ch.unicodeScalars.first.map({ $0.value >= 0x4E00 && $0.value <= 0x9FFF }) == true { flush() }
        }
        flush()
        return v
    }
}

/// The assistant's service-and-store checks, run against the in-memory store, SQLite and
/// PostgreSQL: an index kept up by import/edit/delete equals one imported fresh from the final
/// entries; another instance on the same store sees every change; asks, sessions, hand-offs and
/// erasure behave alike.
enum AssistantRepositoryChecks {
    static func entries() -> [FAQEntry] {
        [
            FAQEntry(
                id: "pw", question: "How do I reset my password?", answers: ["Use the reset link."], alternatives: ["forgot password"]),
            FAQEntry(id: "ship", question: "Do you ship to Canada?", answers: ["Yes, in 5 days."], category: "shipping"),
            FAQEntry(id: "refund", question: "How long does a refund take?", answers: ["Ten days.", "Two weeks at most."]),
            FAQEntry(id: "hours", question: "When is support open?", answers: ["9 to 5."]),
            FAQEntry(id: "cancel", question: "How do I cancel my order?", answers: ["From your orders page."]),
            FAQEntry(id: "pay", question: "Which payment methods do you accept?", answers: ["Cards and bank transfer."]),
            FAQEntry(
                id: "track", question: "Where is my parcel?", answers: ["Track it from the mail we sent."], alternatives: ["track order"]),
            FAQEntry(id: "zh", question: "怎么修改密码？", answers: ["在设置里修改。"]),
        ]
    }

    static func expectSame(_ a: FAQAssistant, _ b: FAQAssistant, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(a.collection == b.collection, sourceLocation: sourceLocation)
        #expect(a.texts == b.texts, sourceLocation: sourceLocation)
        #expect(a.retriever.dense.owners == b.retriever.dense.owners, sourceLocation: sourceLocation)
        #expect(a.retriever.dense.vectors == b.retriever.dense.vectors, sourceLocation: sourceLocation)
        #expect(a.retriever.lexical.owners == b.retriever.lexical.owners, sourceLocation: sourceLocation)
        #expect(a.retriever.lexical.bm25.idf == b.retriever.lexical.bm25.idf, sourceLocation: sourceLocation)
        #expect(a.retriever.lexical.bm25.averageLength == b.retriever.lexical.bm25.averageLength, sourceLocation: sourceLocation)
        #expect(a.calibration == b.calibration, sourceLocation: sourceLocation)
        #expect(a.settings == b.settings, sourceLocation: sourceLocation)
        for q in ["reset password", "parcel to canada", "refund", "密码"] {
            let v = HashedEmbedding.vector(q)
            #expect(a.answer(vector: v, query: q) == b.answer(vector: v, query: q), sourceLocation: sourceLocation)
        }
    }

    static func run(_ store: any AssistantRepository) async throws {
        let tag = UUID().uuidString.prefix(8).lowercased()
        let name = "faq-\(tag)"
        let service = AssistantService(store: store, embedding: HashedEmbedding.embedding)
        let options = AssistantImportOptions(model: "hash")
        let stamp0 = try await store.assistantChangeStamp()
        try await service.importCollection(FAQCollection(entries: entries()), name: name, options: options)
        #expect(try await store.assistantChangeStamp() > stamp0)

        // Edit one entry (it keeps its place), add one, delete one.
        var edited = entries()[1]
        edited.question = "Do you deliver to Canada and Mexico?"
        edited.alternatives = ["shipping abroad"]
        let added = FAQEntry(id: "gift", question: "Can I send a gift card?", answers: ["Yes, from the gift page."])
        try await service.upsert([edited, added], into: name)
        try await service.deleteEntry(id: "hours", from: name)
        var expected = entries()
        expected[1] = edited
        expected.removeAll { $0.id == "hours" }
        expected.append(added)
        let kept = try service.collection(named: name)
        #expect(kept.entries.map(\.entry) == expected)

        // Equal to a fresh import of the final entries, and to what another instance reads back.
        let fresh = try await service.importCollection(FAQCollection(entries: expected), name: "\(name)-fresh", options: options)
        expectSame(kept.assistant, fresh.assistant)
        #expect(kept.record.calibration == fresh.record.calibration)
        let other = AssistantService(store: store, embedding: HashedEmbedding.embedding)
        try await other.reloadIfChanged()
        expectSame(try other.collection(named: name).assistant, fresh.assistant)
        #expect(try other.collection(named: name).record == kept.record)

        // A later change by the first instance reaches the other at its next reload.
        try await service.deleteEntry(id: "pw", from: name)
        try await service.setPolicy(threshold: 0.4, ambiguityMargin: 0.05, of: name)
        try await other.reloadIfChanged()
        #expect(try other.collection(named: name).entries.map(\.entry.id) == expected.map(\.id).filter { $0 != "pw" })
        #expect(try other.collection(named: name).assistant.settings.handoff == HandoffPolicy(threshold: 0.4, ambiguityMargin: 0.05))
        await #expect(throws: AssistantServiceError.unknownEntry(collection: name, id: "pw")) {
            try await service.deleteEntry(id: "pw", from: name)
        }

        // Asks: a session in order; a threshold of 1 hands everything off; resolving records the answer.
        try await service.setPolicy(threshold: 1, ambiguityMargin: nil, of: name)
        let user = "user-\(tag)"
        let first = try await service.ask("Where is my parcel?", session: "s1", user: user, in: name)
        let second = try await service.ask("refund please", session: "s1", user: nil, in: name)
        _ = try await service.ask("another session", session: "s2", user: user, in: name)
        #expect(first.answer.handoff && second.answer.handoff)
        #expect(first.answer.entry == "track")
        #expect(first.ask.shown.first == "track" && first.ask.shown.count == 4)
        let session = try await service.session("s1", in: name)
        #expect(session.map(\.id) == [first.ask.id, second.ask.id])
        #expect(session.map(\.query) == ["Where is my parcel?", "refund please"])
        #expect(session[0] == first.ask)
        #expect(try await service.openHandoffs(in: name).count == 3)
        try await service.resolveHandoff(first.ask.id, in: name, answer: "It ships tomorrow.", at: Date(timeIntervalSince1970: 50))
        await #expect(throws: AssistantServiceError.unknownHandoff(collection: name, id: first.ask.id)) {
            try await service.resolveHandoff(first.ask.id, in: name, answer: "again")
        }
        #expect(try await service.openHandoffs(in: name).map(\.id).contains(first.ask.id) == false)
        let resolved = try await service.session("s1", in: name)[0]
        #expect(resolved.resolution == "It ships tomorrow." && resolved.resolvedAt == Date(timeIntervalSince1970: 50))

        // Erasure removes the user's asks only.
        let eraser = AssistantSessionEraser(store: store)
        #expect(try await eraser.eraseUser(user) == 2)
        #expect(try await service.session("s1", in: name).map(\.id) == [second.ask.id])
        #expect(try await eraser.eraseUser(user) == 0)

        // Deleting a collection removes it for both instances.
        try await service.delete(name: name)
        try await service.delete(name: "\(name)-fresh")
        try await other.reloadIfChanged()
        #expect(throws: AssistantServiceError.unknownCollection(name: name)) { try other.collection(named: name) }
        #expect(try await store.asks(collection: name, session: "s1").isEmpty)
    }

    /// Asks with an e-mail address and a phone number through a service redacting stored texts;
    /// `raw` returns every byte the store holds (the database file, or a dump of its rows).
    static func redaction(_ store: any AssistantRepository, raw: () async throws -> String) async throws {
        let name = "pii-\(UUID().uuidString.prefix(8).lowercased())"
        let service = AssistantService(
            store: store, embedding: HashedEmbedding.embedding, storedText: StoredTextRedaction(redactor: try PIIRedactor.standard()))
        try await service.importCollection(FAQCollection(entries: entries()), name: name, options: AssistantImportOptions(model: "hash"))
        let reply = try await service.ask(
            "write to jane.doe@example.com or call +1 415 555 0132 about my password", session: "pii", user: nil, in: name)
        #expect(reply.ask.query?.contains("jane.doe") == false)
        #expect(reply.ask.query?.contains("password") == true)
        let dump = try await raw()
        #expect(dump.contains("about my password"), "the dump holds the stored query")
        #expect(!dump.contains("jane.doe@example.com"))
        #expect(!dump.contains("555 0132"))
        try await service.delete(name: name)
    }
}

@Suite struct AssistantRepositoryTests {
    @Test func inMemory() async throws {
        try await AssistantRepositoryChecks.run(InMemoryStore().assistant)
    }

    @Test func sqlite() async throws {
        let dir = try ServerFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("finch.sqlite").path
        let store = try SQLiteStore(path: path)
        try await AssistantRepositoryChecks.run(store)
        try await AssistantRepositoryChecks.redaction(store) { try Self.fileText(path) }
        try await store.close()
    }

    /// The control of the grep: without redaction the address is in the file.
    @Test func sqliteHoldsQueriesVerbatimWhenRedactionIsOff() async throws {
        let dir = try ServerFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("finch.sqlite").path
        let store = try SQLiteStore(path: path)
        let service = AssistantService(store: store, embedding: HashedEmbedding.embedding, storedText: .off)
        try await service.importCollection(
            FAQCollection(entries: AssistantRepositoryChecks.entries()), name: "plain", options: AssistantImportOptions(model: "hash"))
        _ = try await service.ask("mail jane.doe@example.com", session: "s", user: nil, in: "plain")
        #expect(try Self.fileText(path).contains("jane.doe@example.com"))
        try await store.close()
    }

    /// The database file and its write-ahead log, as text (invalid UTF-8 replaced).
    static func fileText(_ path: String) throws -> String {
        var data = try Data(contentsOf: URL(fileURLWithPath: path))
        if let wal = FileManager.default.contents(atPath: path + "-wal") { data.append(wal) }
        return String(decoding: data, as: UTF8.self)
    }

    /// Needs `FINCH_TEST_POSTGRES_URL` (Tools/test.sh starts a throw-away PostgreSQL).
    @Test func postgres() async throws {
        let url = try #require(
            ProcessInfo.processInfo.environment["FINCH_TEST_POSTGRES_URL"],
            "set FINCH_TEST_POSTGRES_URL (Tools/test.sh starts a throw-away PostgreSQL)")
        let store = try await PostgresStore(url: url)
        try await AssistantRepositoryChecks.run(store)
        try await AssistantRepositoryChecks.redaction(store) {
            var dump = ""
            let rows = try await store.client.query(
                "SELECT t::text FROM assistant_asks t UNION ALL SELECT c::text FROM assistant_collections c",
                logger: PostgresStore.assistantLogger)
            for try await line in rows.decode(String.self) { dump += line + "\n" }
            return dump
        }
        try await store.close()
    }
}
