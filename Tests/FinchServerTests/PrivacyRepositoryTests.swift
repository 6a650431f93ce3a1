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

        // Audit trail: appended entries chain onto whatever the store already holds (other suites
        // may append to a shared PostgreSQL meanwhile, so links are checked entry by entry).
        let trail = StoreAuditTrail(repository: repo, clock: { Date(timeIntervalSince1970: 1_780_000_000) })
        let actor = "k-\(tag)"
        let a = try await trail.append(actor: actor, action: AdminAction.keyCreate, subject: "key-\(tag)", details: ["scope": "read"])
        let b = try await trail.append(actor: actor, action: AdminAction.keyRevoke, subject: "key-\(tag)")
        #expect(b.sequence > a.sequence)
        #expect(a.time == "2026-05-28T20:26:40.000Z")
        for entry in [a, b] {
            let before = try await repo.auditEntries(after: entry.sequence - 2, limit: 1).first
            #expect(entry.previousHash == (entry.sequence == 1 ? AuditLogEntry.genesisHash : before?.hash))
            #expect(try await repo.auditEntries(after: entry.sequence - 1, limit: 1) == [entry])
        }
        #expect(try await repo.allAuditEntries().filter { $0.actor == actor } == [a, b])
        let verification = try await trail.verify()
        #expect(verification.problem == nil)
        #expect(verification.verifiedEntries >= b.sequence)

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
        let tag = UUID().uuidString.prefix(8).lowercased()
        let actors = ["instance-0-\(tag)", "instance-1-\(tag)"]
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (store, actor) in zip([first, second], actors) {
                group.addTask {
                    let trail = StoreAuditTrail(repository: store.privacy)
                    for i in 0..<count {
                        try await trail.record(actor: actor, action: "test.append", subject: "\(i)", details: [:])
                    }
                }
            }
            try await group.waitForAll()
        }
        let entries = try await first.privacy.allAuditEntries()
        #expect(entries.filter { actors.contains($0.actor) }.count == 2 * count)
        #expect(entries.map(\.sequence) == Array(1...entries.count))
        let verification = AuditLogVerifier.verify(entries: entries)
        #expect(verification.problem == nil, "\(String(describing: verification.problem))")
        #expect(verification.verifiedEntries == entries.count)
    }
}

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
/// that verification names the entry; each change is undone before the next,
/// so a shared PostgreSQL is left with an intact trail.
enum Tampering {
    static func check(_ store: any ServiceStore, execute: @escaping @Sendable (String) async throws -> Void) async throws {
        let trail = StoreAuditTrail(repository: store.privacy)
        let actor = "tamper-\(UUID().uuidString.prefix(8).lowercased())"
        var mine: [AuditLogEntry] = []
        for i in 1...5 {
            mine.append(try await trail.append(actor: actor, action: AdminAction.modelActivate, subject: "m", details: ["v": "\(i)"]))
        }
        #expect(try await trail.verify().problem == nil)
        let (s2, s3, s4) = (mine[1].sequence, mine[2].sequence, mine[3].sequence)

        // An edited subject: the entry's hash no longer matches its contents.
        try await execute("UPDATE audit_trail SET subject = 'other' WHERE sequence = \(s3)")
        var result = try await trail.verify()
        #expect(result.problem == .edited(line: s3, sequence: s3))
        #expect(result.verifiedEntries == s3 - 1)
        try await execute("UPDATE audit_trail SET subject = 'm' WHERE sequence = \(s3)")
        #expect(try await trail.verify().problem == nil)

        // An edited detail.
        try await execute("UPDATE audit_trail SET details = '{\"v\":\"9\"}' WHERE sequence = \(s4)")
        #expect(try await trail.verify().problem == .edited(line: s4, sequence: s4))
        try await execute("UPDATE audit_trail SET details = '{\"v\":\"4\"}' WHERE sequence = \(s4)")
        #expect(try await trail.verify().problem == nil)

        // An edited entry whose hash the editor recomputed: the next entry no longer links to it.
        let forged = AuditLogEntry(
            sequence: s2, time: mine[1].time, actor: actor, action: AdminAction.modelActivate, subject: "forged", details: ["v": "2"],
            previousHash: mine[1].previousHash)
        try await execute("UPDATE audit_trail SET subject = 'forged', hash = '\(forged.hash)' WHERE sequence = \(s2)")
        result = try await trail.verify()
        #expect(result.problem == .brokenLink(line: s2 + 1, sequence: s2 + 1, expectedSequence: s2 + 1))
        try await execute("UPDATE audit_trail SET subject = 'm', hash = '\(mine[1].hash)' WHERE sequence = \(s2)")
        #expect(try await trail.verify().problem == nil)

        // A removed entry: the one after it is where the chain breaks.
        try await execute("DELETE FROM audit_trail WHERE sequence = \(s2)")
        result = try await trail.verify()
        #expect(result.problem == .brokenLink(line: s2, sequence: s2 + 1, expectedSequence: s2))
        #expect(result.verifiedEntries == s2 - 1)
        let e = mine[1]
        try await execute(
            """
            INSERT INTO audit_trail (sequence, recorded_at, actor, action, subject, details, previous_hash, hash)
            VALUES (\(e.sequence), '\(e.time)', '\(e.actor)', '\(e.action)', '\(e.subject)', '{"v":"2"}', '\(e.previousHash)', '\(e.hash)')
            """)
        #expect(try await trail.verify().problem == nil)
    }
}
