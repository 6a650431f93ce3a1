import FinchApps
import Foundation
import Synchronization
import Testing

/// A feature's stored user data, as a test double: counts per user.
final class CountingEraser: UserDataEraser {
    let dataName: String
    let rows: Mutex<[String: Int]>
    let calls = Mutex<[String]>([])

    init(_ name: String, rows: [String: Int]) {
        dataName = name
        self.rows = Mutex(rows)
    }

    func eraseUser(_ user: String) async throws -> Int {
        calls.withLock { $0.append(user) }
        return rows.withLock { $0.removeValue(forKey: user) ?? 0 }
    }
}

struct FailingEraser: UserDataEraser {
    struct Failure: Error {}
    var dataName: String { "broken" }
    func eraseUser(_ user: String) async throws -> Int { throw Failure() }
}

@Suite struct UserErasureTests {
    static let key = Array("a test key of 32 bytes, exactly".utf8)

    @Test func callsEveryEraserAndReportsPerKind() async throws {
        let repository = InMemoryPrivacyRepository()
        let services = UserPrivacyServices(
            repository: repository, defaultConsent: true, erasureKey: Self.key, clock: { Date(timeIntervalSince1970: 0) })
        try await services.consent.set(UserConsent(personalization: false, storeTextsForTraining: false), user: "ann")
        let events = CountingEraser("events", rows: ["ann": 3, "bob": 2])
        let feedback = CountingEraser("feedback", rows: ["ann": 1])
        let erasers = UserDataErasers([events])
        let erasure = services.erasure(erasers: erasers)
        erasers.register(feedback)  // registered after the erasure was built: still called

        let report = try await erasure.erase(user: "ann", actor: "admin-key")
        #expect(report.removed == ["events": 3, "feedback": 1, "consent": 1])
        #expect(report.userHash == UserIDHasher(key: Self.key).hash("ann"))
        #expect(report.userHash.count == 64 && !report.userHash.contains("ann"))
        #expect(events.rows.withLock { $0 } == ["bob": 2])
        #expect(try await services.tombstones.isErased(user: "ann"))
        #expect(try await !services.tombstones.isErased(user: "bob"))
        #expect(try await services.consent.consentWithSource(user: "ann").stored == false)

        let entries = try await repository.allAuditEntries()
        #expect(entries.count == 1)
        #expect(entries[0].action == AdminAction.userErase)
        #expect(entries[0].actor == "admin-key")
        #expect(entries[0].subject == report.userHash)
        #expect(entries[0].details == ["removed.events": "3", "removed.feedback": "1", "removed.consent": "1"])
        #expect(!entries[0].line.contains("ann"))
    }

    /// The tombstone is written before the erasers run, so a failed erasure still keeps the user
    /// out of retraining, and no `user.erase` entry claims a success.
    @Test func failedEraserLeavesTheTombstoneAndNoAuditEntry() async throws {
        let repository = InMemoryPrivacyRepository()
        let services = UserPrivacyServices(repository: repository, defaultConsent: true, erasureKey: Self.key)
        let erasure = services.erasure(erasers: UserDataErasers([FailingEraser()]))
        await #expect(throws: FailingEraser.Failure.self) { try await erasure.erase(user: "cat", actor: "k") }
        #expect(try await services.tombstones.isErased(user: "cat"))
        #expect(try await repository.allAuditEntries().isEmpty)
    }

    @Test func storeAuditTrailChainsLikeTheFileLog() async throws {
        let repository = InMemoryPrivacyRepository()
        let trail = StoreAuditTrail(repository: repository, clock: { Date(timeIntervalSince1970: 1_780_000_000) })
        try await trail.record(actor: "k", action: AdminAction.keyCreate, subject: "id1", details: ["scope": "admin"])
        try await trail.record(actor: "k", action: AdminAction.modelActivate, subject: "m", details: [:])
        let entries = try await repository.allAuditEntries()
        // The same entries written by the file log give the same lines.
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("finch-trail-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let log = try AuditLog(path: dir.appendingPathComponent("audit.log").path)
        let a = try log.append(
            actor: "k", action: AdminAction.keyCreate, subject: "id1", details: ["scope": "admin"],
            at: Date(timeIntervalSince1970: 1_780_000_000))
        let b = try log.append(
            actor: "k", action: AdminAction.modelActivate, subject: "m", at: Date(timeIntervalSince1970: 1_780_000_000))
        #expect(entries == [a, b])
        #expect(try await trail.verify().problem == nil)
    }
}
