import Foundation
import Testing

@testable import FinchApps

/// The hash chain: appends verify; an edited, removed, inserted or
/// reordered entry is found and named.
@Suite struct AuditLogTests {
    static func temporaryLog() throws -> (URL, AuditLog) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("audit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let url = dir.appendingPathComponent("audit.jsonl")
        return (url, try AuditLog(path: url.path))
    }

    static func fourEntries() throws -> (URL, [String]) {
        let (url, log) = try temporaryLog()
        let t = Date(timeIntervalSince1970: 1_800_000_000)
        try log.append(actor: "admin", action: "key.create", subject: "k1", details: ["scope": "write"], at: t)
        try log.append(actor: "admin", action: "model.activate", subject: "sentiment@2", at: t)
        try log.append(actor: "admin", action: "user.erase", subject: "user-7", details: ["reason": "request \"GDPR\""], at: t)
        try log.append(actor: "ops", action: "key.revoke", subject: "k1", at: t)
        let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map(String.init)
        return (url, lines)
    }

    @Test func appendedLogVerifiesAndReopens() throws {
        let (url, lines) = try Self.fourEntries()
        #expect(lines.count == 4)
        let result = AuditLogVerifier.verify(lines.joined(separator: "\n") + "\n")
        #expect(result.problem == nil)
        #expect(result.verifiedEntries == 4)
        let reopened = try AuditLog(path: url.path)
        #expect(reopened.entryCount == 4)
        let fifth = try reopened.append(actor: "admin", action: "retrain", subject: "sentiment")
        #expect(fifth.sequence == 5)
        #expect(fifth.previousHash == result.headHash)
        #expect(AuditLogVerifier.verify(try String(contentsOf: url, encoding: .utf8)).verifiedEntries == 5)
    }

    @Test func firstEntryChainsToGenesisAndHashIsSHA256OfPreviousAndCanonicalJSON() throws {
        let entry = AuditLogEntry(
            sequence: 1, time: "2026-12-03T12:00:00.000Z", actor: "a", action: "b", subject: "c", details: ["z": "1", "k": "2"],
            previousHash: AuditLogEntry.genesisHash)
        #expect(
            entry.canonicalJSON
                == #"{"action":"b","actor":"a","details":{"k":"2","z":"1"},"sequence":1,"subject":"c","time":"2026-12-03T12:00:00.000Z"}"#)
        // Python: hashlib.sha256(("0"*64 + canonical).encode()).hexdigest()
        #expect(entry.hash == "73165eb17c12e1dce93f339adf2f52d3c86064baa4e59fa1d8d5ebfd482fb3f2")
        #expect(entry.hash == AuditLogHash.sha256Hex(AuditLogEntry.genesisHash + entry.canonicalJSON))
    }

    @Test func editedEntryIsNamed() throws {
        var (_, lines) = try Self.fourEntries()
        lines[1] = lines[1].replacingOccurrences(of: "sentiment@2", with: "sentiment@3")
        let result = AuditLogVerifier.verify(lines.joined(separator: "\n"))
        #expect(result.problem == .edited(line: 2, sequence: 2))
        #expect(result.verifiedEntries == 1)
    }

    @Test func editedEntryWithRecomputedHashBreaksTheNextLink() throws {
        var (_, lines) = try Self.fourEntries()
        var entry = try JSONDecoder().decode(AuditLogEntry.self, from: Data(lines[1].utf8))
        entry.subject = "sentiment@3"
        entry.hash = entry.computedHash()
        lines[1] = entry.line
        #expect(AuditLogVerifier.verify(lines.joined(separator: "\n")).problem == .brokenLink(line: 3, sequence: 3, expectedSequence: 3))
    }

    @Test func removedEntryIsNamed() throws {
        var (_, lines) = try Self.fourEntries()
        lines.remove(at: 2)
        #expect(AuditLogVerifier.verify(lines.joined(separator: "\n")).problem == .brokenLink(line: 3, sequence: 4, expectedSequence: 3))
        var tail = try Self.fourEntries().1
        tail.removeLast()  // a removed last entry cannot be seen from the file alone; the count says it
        #expect(AuditLogVerifier.verify(tail.joined(separator: "\n")).verifiedEntries == 3)
    }

    @Test func reorderedEntriesAreNamed() throws {
        var (_, lines) = try Self.fourEntries()
        lines.swapAt(1, 2)
        let result = AuditLogVerifier.verify(lines.joined(separator: "\n"))
        #expect(result.problem == .brokenLink(line: 2, sequence: 3, expectedSequence: 2))
        #expect(result.problem?.description.contains("entries were removed or reordered") == true)
    }

    @Test func damagedLogIsNotAppendedTo() throws {
        let (url, lines) = try Self.fourEntries()
        try Data((lines[0] + "\n" + "{not json\n").utf8).write(to: url)
        #expect(throws: AuditLogError.broken(path: url.path, problem: .unreadable(line: 2, reason: "not valid JSON"))) {
            try AuditLog(path: url.path)
        }
    }

    @Test func concurrentAppendsKeepTheChain() async throws {
        let (url, log) = try Self.temporaryLog()
        await withTaskGroup(of: Void.self) { group in
            for i in 0..<20 { group.addTask { _ = try? log.append(actor: "t\(i)", action: "x", subject: "\(i)") } }
        }
        let result = AuditLogVerifier.verify(try String(contentsOf: url, encoding: .utf8))
        #expect(result.problem == nil && result.verifiedEntries == 20)
    }
}
