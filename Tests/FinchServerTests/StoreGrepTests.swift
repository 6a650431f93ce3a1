import FinchApps
import FinchServer
import FinchText
import Foundation
import Testing

/// `StoreGrep` sees raw values wherever a store keeps them, and texts that pass the
/// stored-text gate (`StoredTextRedaction` with the standard redactor, as `finch serve` builds
/// it by default) leave none of their personal data in either store.
@Suite(.serialized) struct StoreGrepTests {
    static let raw = [
        "ann.lee@example.com", "+44 20 7946 0958", "4111 1111 1111 1111", "110101199003074477", "13812345678",
    ]
    static let text =
        "Write to ann.lee@example.com or call +44 20 7946 0958; card 4111 1111 1111 1111. 身份证 110101199003074477，手机 13812345678。"

    /// Stores `text` as given and through the gate, then greps: the raw copy is found, the gated one is not.
    static func check(_ store: any ServiceStore) async throws {
        let gate = StoredTextRedaction(redactor: try PIIRedactor.standard())
        let redacted = try gate.apply(Self.text)
        for value in Self.raw { #expect(!redacted.contains(value), "the gate kept \(value): \(redacted)") }

        let tag = UUID().uuidString.prefix(8).lowercased()
        let gated = "gated-\(tag)"
        try await store.collections.putCollection(CollectionRecord(name: gated, model: "m", createdAt: Date()))
        try await store.collections.upsertEntries([CollectionEntryRecord(id: "1", text: redacted, vector: [0])], collection: gated)
        var hits = try await StoreGrep.find(Self.raw, in: store)
        #expect(hits.isEmpty, "\(hits)")

        let plain = "plain-\(tag)"
        let marker = "marker-\(tag)@example.org"
        try await store.collections.putCollection(CollectionRecord(name: plain, model: "m", createdAt: Date()))
        try await store.collections.upsertEntries(
            [CollectionEntryRecord(id: "1", text: Self.text + " " + marker, vector: [0])], collection: plain)
        hits = try await StoreGrep.find([marker, "gated-\(tag)-absent"], in: store)
        #expect(hits.keys.sorted() == [marker], "\(hits)")
        #expect(!(hits[marker] ?? []).isEmpty)
        #expect(try await store.collections.deleteCollection(name: plain))
        #expect(try await store.collections.deleteCollection(name: gated))
    }

    @Test func sqlite() async throws {
        let dir = try ServerFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try SQLiteStore(path: dir.appendingPathComponent("finch.sqlite").path)
        try await Self.check(store)
        // The plain collection was deleted: after the purge an erasure runs (truncating checkpoint),
        // secure_delete has left no copy of the raw values in the file.
        try await store.privacy.purgeDeletedData()
        #expect(try await StoreGrep.find(Self.raw, in: store).isEmpty)
        try await store.close()
    }

    @Test func postgres() async throws {
        let store = try await PostgresStore(url: try StoreGrep.postgresURL())
        try await Self.check(store)
        #expect(try await StoreGrep.find(Self.raw, in: store).isEmpty)
        try await store.close()
    }
}
