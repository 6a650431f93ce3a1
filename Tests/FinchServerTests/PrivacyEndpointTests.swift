import FinchApps
import FinchServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Consent, erasure and the audit trail through the HTTP API.
@Suite struct PrivacyEndpointTests {
    @Test func consentDefaultsAndUpdates() async throws {
        let fixture = try await ServerFixture()
        defer { fixture.remove() }
        let app = try await fixture.app()
        try await app.test(.router) { client in
            var r = try await client.send(.get, "/v1/users/u%201/consent", key: fixture.readKey)
            #expect(r.status == .ok)
            var body = try r.object()
            #expect(body["user"] as? String == "u 1")
            #expect(body["personalization"] as? Bool == true)
            #expect(body["store_texts_for_training"] as? Bool == true)
            #expect(body["source"] as? String == "default")

            r = try await client.send(.put, "/v1/users/u%201/consent", key: fixture.readKey, json: ["personalization": false])
            #expect(r.status == .forbidden)
            r = try await client.send(.put, "/v1/users/u%201/consent", key: fixture.writeKey, json: ["personalization": false])
            #expect(r.status == .ok)
            body = try r.object()
            #expect(body["personalization"] as? Bool == false)
            #expect(body["store_texts_for_training"] as? Bool == true)  // left out: kept
            #expect(body["source"] as? String == "user")
            r = try await client.send(.put, "/v1/users/u%201/consent", key: fixture.writeKey, json: ["store_texts_for_training": false])
            body = try r.object()
            #expect(body["personalization"] as? Bool == false)
            #expect(body["store_texts_for_training"] as? Bool == false)

            r = try await client.send(.get, "/v1/users/u%201/consent", key: fixture.readKey)
            body = try r.object()
            #expect(body["source"] as? String == "user")
            #expect(body["personalization"] as? Bool == false)
            // The lookup the other features receive sees the same.
            let lookup = StoreConsentLookup(repository: fixture.store.privacy, grantedByDefault: true)
            #expect(try await lookup.consent(user: "u 1") == UserConsent(personalization: false, storeTextsForTraining: false))

            r = try await client.send(.put, "/v1/users/u%201/consent", key: fixture.writeKey, json: [String: Any]())
            #expect(r.status == .badRequest)
            r = try await client.send(.put, "/v1/users/u%201/consent", key: fixture.writeKey, json: ["personalization": "yes"])
            #expect(try r.apiError().field == "personalization")
            let long = String(repeating: "x", count: 257)
            r = try await client.send(.get, "/v1/users/\(long)/consent", key: fixture.readKey)
            #expect(try r.apiError().field == "id")
        }
    }

    @Test func defaultConsentSettingWithholdsBoth() async throws {
        let fixture = try await ServerFixture { $0.defaultConsent = false }
        defer { fixture.remove() }
        let app = try await fixture.app()
        try await app.test(.router) { client in
            let body = try await client.send(.get, "/v1/users/new-user/consent", key: fixture.readKey).object()
            #expect(body["personalization"] as? Bool == false)
            #expect(body["store_texts_for_training"] as? Bool == false)
            #expect(body["source"] as? String == "default")
        }
    }

    /// Key creation and revocation and model registration and activation are recorded, in
    /// order, under the admin key's id, and the trail pages and verifies.
    @Test func adminActionsAreRecordedInTheAuditTrail() async throws {
        let fixture = try await ServerFixture()
        defer { fixture.remove() }
        let adminID = try #require(APIKeyHasher.parse(fixture.adminKey)?.id)
        let app = try await fixture.app()
        try await app.test(.router) { client in
            let start = try await fixture.store.privacy.allAuditEntries().count
            var r = try await client.send(.post, "/v1/keys", key: fixture.adminKey, json: ["scope": "read", "name": "audited"])
            let keyID = try #require(try r.object()["id"] as? String)
            r = try await client.send(.delete, "/v1/keys/\(keyID)", key: fixture.adminKey)
            #expect(r.status == .noContent)
            r = try await client.send(.delete, "/v1/keys/nosuchkey", key: fixture.adminKey)  // refused: not recorded
            #expect(r.status == .notFound)
            let path = fixture.configuration.models[0].path
            r = try await client.send(.post, "/v1/models", key: fixture.adminKey, json: ["name": "mini", "path": path, "activate": false])
            #expect(r.status == .created)
            let version = try #require(try r.object()["version"] as? Int)
            r = try await client.send(.post, "/v1/models/mini/versions/\(version)/activate", key: fixture.adminKey)
            #expect(r.status == .ok)

            let entries = try await fixture.store.privacy.allAuditEntries().dropFirst(start)
            #expect(entries.map(\.action) == ["key.create", "key.revoke", "model.register", "model.activate"])
            #expect(entries.map(\.subject) == [keyID, keyID, "mini", "mini"])
            #expect(entries.allSatisfy { $0.actor == adminID })
            #expect(entries.first?.details == ["name": "audited", "scope": "read"])
            #expect(entries.last?.details == ["version": String(version)])

            // Paged reads: two by two, then the rest.
            r = try await client.send(.get, "/v1/audit?limit=2", key: fixture.adminKey)
            #expect(r.status == .ok)
            var page = try r.object()
            var items = try #require(page["entries"] as? [[String: Any]])
            #expect(items.map { $0["sequence"] as? Int } == [1, 2])
            #expect(items.first?["previous_hash"] as? String == AuditLogEntry.genesisHash)
            let next = try #require(page["next_after"] as? Int)
            #expect(next == 2)
            r = try await client.send(.get, "/v1/audit?after=\(next)&limit=1000", key: fixture.adminKey)
            page = try r.object()
            items = try #require(page["entries"] as? [[String: Any]])
            #expect(items.count == start + 4 - 2)
            #expect(page["next_after"] is NSNull)
            r = try await client.send(.get, "/v1/audit?limit=0", key: fixture.adminKey)
            #expect(try r.apiError().field == "limit")
            r = try await client.send(.get, "/v1/audit", key: fixture.writeKey)
            #expect(r.status == .forbidden)

            r = try await client.send(.get, "/v1/audit/verify", key: fixture.adminKey)
            let verification = try r.object()
            #expect(verification["intact"] as? Bool == true)
            #expect(verification["verified_entries"] as? Int == start + 4)
            #expect(verification["head_hash"] as? String == entries.last?.hash)
            #expect(verification["problem"] is NSNull)
        }
    }

    /// The exported pages, as JSON lines, are a log `AuditLogVerifier` (and `finch audit-log verify FILE`) accepts.
    @Test func exportedEntriesVerifyAsALogFile() async throws {
        let fixture = try await ServerFixture()
        defer { fixture.remove() }
        let app = try await fixture.app()
        try await app.test(.router) { client in
            for name in ["a", "b", "c"] {
                try await client.send(.post, "/v1/keys", key: fixture.adminKey, json: ["scope": "read", "name": name])
            }
            let r = try await client.send(.get, "/v1/audit", key: fixture.adminKey)
            let items = try #require(try r.object()["entries"] as? [Any])
            let lines = try items.map { String(decoding: try JSONSerialization.data(withJSONObject: $0), as: UTF8.self) }
            let result = AuditLogVerifier.verify(lines.joined(separator: "\n"))
            #expect(result.problem == nil)
            #expect(result.verifiedEntries == 3)
        }
    }

    /// Erasure removes the consent row, records a tombstone and an audit entry that hold only the
    /// id's keyed hash, and leaves no byte of the id in the SQLite file or its log.
    @Test func erasureLeavesNoTraceInTheSQLiteFile() async throws {
        let fixture = try await ServerFixture()
        defer { fixture.remove() }
        let user = "zq-distinctive-user-5521@example.org"
        let app = try await fixture.app()
        try await app.test(.router) { client in
            var r = try await client.send(.put, "/v1/users/\(user)/consent", key: fixture.writeKey, json: ["personalization": false])
            #expect(r.status == .ok)
            // The grep sees a stored value (so its silence below means something).
            let before = try await StoreGrep.find([user], in: fixture.store)
            #expect(before[user]?.contains("finch.sqlite") == true, "\(before)")

            r = try await client.send(.delete, "/v1/users/\(user)", key: fixture.writeKey)
            #expect(r.status == .forbidden)
            r = try await client.send(.delete, "/v1/users/\(user)", key: fixture.adminKey)
            #expect(r.status == .ok)
            let body = try r.object()
            #expect(body["erased"] as? Bool == true)
            #expect(body["removed"] as? [String: Int] == ["consent": 1, "assistant_sessions": 0, "feedback": 0])

            let after = try await StoreGrep.find([user], in: fixture.store)
            #expect(after.isEmpty, "\(after)")
            // (StoreGrep reads the log before it checkpoints, so the erasure's own purge is what emptied it.)

            // The consent is back to the default; the tombstone and the audit entry use the keyed hash.
            r = try await client.send(.get, "/v1/users/\(user)/consent", key: fixture.readKey)
            #expect(try r.object()["source"] as? String == "default")
            let tombstones = try await fixture.store.privacy.tombstoneHashes()
            #expect(tombstones.count == 1)
            let entry = try #require(try await fixture.store.privacy.allAuditEntries().last)
            #expect(entry.action == "user.erase")
            #expect(tombstones.contains(entry.subject))
            #expect(entry.details == ["removed.consent": "1", "removed.assistant_sessions": "0", "removed.feedback": "0"])

            // Erasing again is harmless.
            r = try await client.send(.delete, "/v1/users/\(user)", key: fixture.adminKey)
            #expect(try r.object()["removed"] as? [String: Int] == ["consent": 0, "assistant_sessions": 0, "feedback": 0])
            #expect(try await fixture.store.privacy.tombstoneHashes().count == 1)
        }
    }

    /// The erasure key survives restarts (tombstones must keep matching) and is private to the owner.
    @Test func erasureKeyFileIsMadeOnceAndKept() async throws {
        let fixture = try await ServerFixture()
        defer { fixture.remove() }
        _ = try await fixture.app()
        let path = fixture.configuration.dataDirectory + "/erasure.key"
        let first = try String(contentsOfFile: path, encoding: .utf8)
        #expect(first.trimmingCharacters(in: .newlines).count == 64)
        let mode = try #require(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
        #expect(mode & 0o077 == 0)
        _ = try await fixture.app()
        #expect(try String(contentsOfFile: path, encoding: .utf8) == first)
    }
}
