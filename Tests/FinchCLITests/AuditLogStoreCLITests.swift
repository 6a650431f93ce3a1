import Foundation
import GRDB
import Testing

/// `finch audit-log verify --data-dir DIR`: the store's audit trail, filled by `finch keys`.
@Suite struct AuditLogStoreCLITests {
    @Test func keysCommandsAreRecordedAndTheStoreChainVerifies() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("finch-audit-store-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let data = dir.appendingPathComponent("data").path
        let (cs, key, cerr) = try CLI.run(["keys", "create", "--scope", "admin", "--name", "ops", "--data-dir", data])
        try #require(cs == 0, "\(cerr)")
        let id = String(key.trimmingCharacters(in: .whitespacesAndNewlines).dropFirst("finch_".count).prefix { $0 != "_" })
        let (rs, _, rerr) = try CLI.run(["keys", "revoke", id, "--data-dir", data])
        #expect(rs == 0, "\(rerr)")

        var (status, out, err) = try CLI.run(["audit-log", "verify", "--data-dir", data])
        #expect(status == 0, "\(err)")
        #expect(out.contains("2 entries, chain intact"), "\(out)")

        let database = try DatabaseQueue(path: data + "/finch.sqlite")
        let rows = try database.read { db in try Row.fetchAll(db, sql: "SELECT actor, action, subject FROM audit_trail ORDER BY sequence") }
        #expect(rows.map { $0["action"] as String } == ["key.create", "key.revoke"])
        #expect(rows.allSatisfy { ($0["actor"] as String) == "cli" && ($0["subject"] as String) == id })

        // An edited entry, then a removed one: exit status 1 naming where the chain breaks.
        try database.write { db in try db.execute(sql: "UPDATE audit_trail SET actor = 'someone' WHERE sequence = 1") }
        (status, _, err) = try CLI.run(["audit-log", "verify", "--data-dir", data])
        #expect(status == 1)
        #expect(err.contains("entry 1 was changed"), "\(err)")
        try database.write { db in try db.execute(sql: "DELETE FROM audit_trail WHERE sequence = 1") }
        (status, _, err) = try CLI.run(["audit-log", "verify", "--data-dir", data])
        #expect(status == 1)
        #expect(err.contains("entry 2 where entry 1 was expected"), "\(err)")
        try database.close()
    }

    @Test func verifyNeedsAFileOrAStore() throws {
        var (status, _, err) = try CLI.run(["audit-log", "verify"])
        #expect(status != 0)
        #expect(err.contains("--data-dir"), "\(err)")
        (status, _, err) = try CLI.run(["audit-log", "verify", "log.jsonl", "--data-dir", "/tmp/x"])
        #expect(status != 0)
        #expect(err.contains("not both"), "\(err)")
    }
}
