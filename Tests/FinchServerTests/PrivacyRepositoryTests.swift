import FinchApps
import Foundation
import GRDB
import Logging
import PostgresNIO
import Testing

@testable import FinchServer

/// The privacy tables (audit trail, consent, tombstones) against SQLite,
/// PostgreSQL and the in-memory store, with the same checks.
enum PrivacyChecks {
    static func run(_ store: any ServiceStore) async throws {
        let repo = store.privacy
        let tag = UUID().uuidString.prefix(8).lowercased()

        // Audit trail: appended entries chain onto whatever the store already holds.
        let before = try await repo.allAuditEntries()
        let trail = StoreAuditTrail(repository: repo, clock: { Date(timeIntervalSince1970: 1_780_000_000) })
        let a = try await trail.append(actor: "k1", action: AdminAction.keyCreate, subject: "key-\(tag)", details: ["scope": "read"])
        let b = try await trail.append(actor: "k1", action: AdminAction.keyRevoke, subject: "key-\(tag)")
        #expect(a.sequence == before.count + 1)
        #expect(b.sequence == a.sequence + 1)
        #expect(a.previousHash == (before.last?.hash ?? AuditLogEntry.genesisHash))
        #expect(b.previousHash == a.hash)
        #expect(a.time == "2026-05-28T20:26:40.000Z")
        let after = try await repo.auditEntries(after: before.count, limit: 10)
        #expect(after == [a, b])
        #expect(try await repo.auditEntries(after: before.count, limit: 1) == [a])
        #expect(try await repo.auditEntries(after: b.sequence, limit: 10).isEmpty)
        let verification = try await trail.verify()
        #expect(verification.problem == nil)
        #expect(verification.verifiedEntries == before.count + 2)
        #expect(verification.headHash == b.hash)

        // Consent.
        let user = "user-\(tag)"
        #expect(try await repo.storedConsent(user: user) == nil)
        let lookup = StoreConsentLookup(repository: repo, grantedByDefault: true)
        #expect(try await lookup.consent(user: user) == UserConsent(personalization: true, storeTextsForTraining: true))
        #expect(
            try await StoreConsentLookup(repository: repo, grantedByDefault: false).consent(user: user)
                == UserConsent(personalization: false, storeTextsForTraining: false))
        try await repo.setConsent(UserConsent(personalization: false, storeTextsForTraining: true), user: user, at: Date())
        try await repo.setConsent(UserConsent(personalization: true, storeTextsForTraining: false), user: user, at: Date())
        #expect(try await lookup.consent(user: user) == UserConsent(personalization: true, storeTextsForTraining: false))
        #expect(try await lookup.consentWithSource(user: user).stored)
        #expect(try await repo.deleteConsent(user: user) == 1)
        #expect(try await repo.deleteConsent(user: user) == 0)
        #expect(try await lookup.consentWithSource(user: user).stored == false)

        // Shared secrets: the first value stored wins.
        #expect(try await repo.sharedSecret(name: "s-\(tag)", proposed: "first") == "first")
        #expect(try await repo.sharedSecret(name: "s-\(tag)", proposed: "second") == "first")

        // Tombstones: keyed hashes, idempotent.
        let hasher = UserIDHasher(key: Array("a test key of 32 bytes, exactly".utf8))
        let tombstones = StoreErasureTombstones(repository: repo, hasher: hasher)
        #expect(try await !tombstones.isErased(user: user))
        try await repo.addTombstone(userHash: hasher.hash(user), at: Date())
        try await repo.addTombstone(userHash: hasher.hash(user), at: Date())
        #expect(try await tombstones.isErased(user: user))
        #expect(try await tombstones.erasedUsers(among: [user, "other-\(tag)"]) == [user])
        #expect(try await !repo.tombstoneHashes().contains(where: { $0.contains(user) }))
        #expect(
            try await !StoreErasureTombstones(repository: repo, hasher: UserIDHasher(key: Array("another key, also long enough".utf8)))
                .isErased(user: user))
    }

    /// Appends `count` entries from each store at once; the union must be one intact chain.
    static func concurrentAppends(_ first: any ServiceStore, _ second: any ServiceStore, count: Int) async throws {
        let before = try await first.privacy.allAuditEntries().count
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (index, store) in [first, second].enumerated() {
                group.addTask {
                    let trail = StoreAuditTrail(repository: store.privacy)
                    for i in 0..<count {
                        try await trail.record(actor: "instance-\(index)", action: "test.append", subject: "\(i)", details: [:])
                    }
                }
            }
            try await group.waitForAll()
        }
        let entries = try await first.privacy.allAuditEntries()
        #expect(entries.count == before + 2 * count)
        #expect(entries.map(\.sequence) == Array(1...entries.count))
        let verification = AuditLogVerifier.verify(entries: entries)
        #expect(verification.problem == nil, "\(String(describing: verification.problem))")
        #expect(Set(entries.suffix(2 * count).map(\.actor)) == ["instance-0", "instance-1"])
    }
}

/// Serialized: the PostgreSQL tests share one database's audit trail.
@Suite(.serialized) struct PrivacyRepositoryTests {
    @Test func inMemory() async throws {
        try await PrivacyChecks.run(InMemoryStore())
    }

    @Test func sqlite() async throws {
        let dir = try ServerFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try SQLiteStore(path: dir.appendingPathComponent("finch.sqlite").path)
        try await PrivacyChecks.run(store)
        #expect(try await store.pool.read { db in try Int.fetchOne(db, sql: "PRAGMA secure_delete") } == 1)
        try await store.close()
    }

    /// Two stores (two connections pools, as two instances would have) on one file append at once.
    @Test func sqliteConcurrentAppendersFormOneChain() async throws {
        let dir = try ServerFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("finch.sqlite").path
        let first = try SQLiteStore(path: path)
        let second = try SQLiteStore(path: path)
        try await PrivacyChecks.concurrentAppends(first, second, count: 40)
        try await first.close()
        try await second.close()
    }

    @Test func sqliteTamperingIsDetected() async throws {
        let dir = try ServerFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try SQLiteStore(path: dir.appendingPathComponent("finch.sqlite").path)
        try await Tampering.check(
            store,
            execute: { sql in try await store.pool.write { db in try db.execute(sql: sql) } })
        try await store.close()
    }

    @Test func postgres() async throws {
        let store = try await PostgresStore(url: try StoreGrep.postgresURL())
        try await PrivacyChecks.run(store)
        try await store.close()
    }

    /// Two clients (as two instances) append at once; the advisory lock keeps one chain.
    @Test func postgresConcurrentAppendersFormOneChain() async throws {
        let url = try StoreGrep.postgresURL()
        let first = try await PostgresStore(url: url)
        let second = try await PostgresStore(url: url)
        try await PrivacyChecks.concurrentAppends(first, second, count: 40)
        try await first.close()
        try await second.close()
    }

    /// After erasure, no text column of any table holds the user's id (a SELECT over every column).
    @Test func postgresErasureLeavesNoRow() async throws {
        let store = try await PostgresStore(url: try StoreGrep.postgresURL())
        let user = "pg-distinctive-user-\(UUID().uuidString.prefix(8))"
        let services = UserPrivacyServices(
            repository: store.privacy, defaultConsent: true, erasureKey: Array("a test key of 32 bytes, exactly".utf8))
        try await services.consent.set(UserConsent(personalization: true, storeTextsForTraining: false), user: user)
        #expect(try await StoreGrep.find([user], in: store) == [user: ["user_consent.user_id"]])
        let report = try await services.erasure(erasers: UserDataErasers()).erase(user: user, actor: "test")
        #expect(report.removed == ["consent": 1])
        let after = try await StoreGrep.find([user], in: store)
        #expect(after.isEmpty, "\(after)")
        #expect(try await services.tombstones.isErased(user: user))
        try await store.close()
    }

    /// With PostgreSQL and no `erasure_key`, instances share a key kept in the database and write no file.
    @Test func postgresErasureKeyIsSharedThroughTheDatabase() async throws {
        let url = try StoreGrep.postgresURL()
        let dir = try ServerFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        var configuration = ServerConfiguration()
        configuration.databaseURL = url
        configuration.dataDirectory = dir.appendingPathComponent("data").path
        let first = try await PostgresStore(url: url)
        let second = try await PostgresStore(url: url)
        let logger = Logger(label: "test")
        let a = try await ErasureKey.key(for: configuration, store: first, logger: logger)
        let b = try await ErasureKey.key(for: configuration, store: second, logger: logger)
        #expect(a == b && a.count == 32)
        #expect(!FileManager.default.fileExists(atPath: configuration.dataDirectory))
        configuration.erasureKey = "a configured key, long enough"
        #expect(try await ErasureKey.key(for: configuration, store: first, logger: logger) == Array("a configured key, long enough".utf8))
        try await first.close()
        try await second.close()
    }

    @Test func postgresTamperingIsDetected() async throws {
        let store = try await PostgresStore(url: try StoreGrep.postgresURL())
        try await Tampering.check(
            store,
            execute: { sql in try await store.client.query(PostgresQuery(unsafeSQL: sql), logger: store.logger) })
        try await store.close()
    }
}

/// Edits and removes stored audit rows behind the store's back and checks
/// that verification names the entry. Each step restores the table first.
enum Tampering {
    static func check(_ store: any ServiceStore, execute: @escaping @Sendable (String) async throws -> Void) async throws {
        // The PostgreSQL database is shared by runs and suites: start from an empty trail,
        // and leave an intact one behind.
        try await execute("DELETE FROM audit_trail")
        let trail = StoreAuditTrail(repository: store.privacy)
        for i in 1...5 { try await trail.record(actor: "admin", action: AdminAction.modelActivate, subject: "m", details: ["v": "\(i)"]) }
        #expect(try await trail.verify().problem == nil)

        // An edited subject: entry 3's hash no longer matches its contents.
        try await execute("UPDATE audit_trail SET subject = 'other' WHERE sequence = 3")
        var result = try await trail.verify()
        #expect(result.problem == .edited(line: 3, sequence: 3))
        #expect(result.verifiedEntries == 2)
        try await execute("UPDATE audit_trail SET subject = 'm' WHERE sequence = 3")
        #expect(try await trail.verify().problem == nil)

        // An edited detail.
        try await execute("UPDATE audit_trail SET details = '{\"v\":\"9\"}' WHERE sequence = 4")
        #expect(try await trail.verify().problem == .edited(line: 4, sequence: 4))
        try await execute("UPDATE audit_trail SET details = '{\"v\":\"4\"}' WHERE sequence = 4")

        // An edited entry whose hash was recomputed by the editor: the next entry no longer links to it.
        let entries = try await store.privacy.allAuditEntries()
        let forged = AuditLogEntry(
            sequence: 2, time: entries[1].time, actor: "admin", action: AdminAction.modelActivate, subject: "forged", details: ["v": "2"],
            previousHash: entries[0].hash)
        try await execute("UPDATE audit_trail SET subject = 'forged', hash = '\(forged.hash)' WHERE sequence = 2")
        result = try await trail.verify()
        #expect(result.problem == .brokenLink(line: 3, sequence: 3, expectedSequence: 3))
        try await execute("UPDATE audit_trail SET subject = 'm', hash = '\(entries[1].hash)' WHERE sequence = 2")
        #expect(try await trail.verify().problem == nil)

        // A removed entry: the one after it is where the chain breaks.
        try await execute("DELETE FROM audit_trail WHERE sequence = 2")
        result = try await trail.verify()
        #expect(result.problem == .brokenLink(line: 2, sequence: 3, expectedSequence: 2))
        #expect(result.verifiedEntries == 1)

        // Appends keep working (the trail is append-only; repair is a person's job), and the table is
        // left intact for other suites.
        try await execute("DELETE FROM audit_trail")
        try await trail.record(actor: "admin", action: "test.reset", subject: "", details: [:])
        #expect(try await trail.verify().problem == nil)
    }
}
