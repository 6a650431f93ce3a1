import FinchSupport
import Foundation

/// One entry of the audit log: who did what to what, when, and the hash
/// chain that ties it to the entry before.
///
/// `hash` = SHA-256 (lower-case hex) of the UTF-8 of `previousHash` followed by
/// the entry's canonical JSON: the object of `sequence`, `time`, `actor`,
/// `action`, `subject` and `details`, keys sorted, no spaces, strings escaped as
/// `JSONString` does. The first entry's `previousHash` is 64 zeros.
public struct AuditLogEntry: Sendable, Equatable, Codable {
    /// Position in the log, from 1.
    public var sequence: Int
    /// When, as an ISO 8601 UTC string (kept as text so it hashes as written).
    public var time: String
    /// Who (an API key id, `cli`, …).
    public var actor: String
    /// What (`key.create`, `model.activate`, `user.erase`, …).
    public var action: String
    /// On what (a key id, a model name, a user id).
    public var subject: String
    /// Further facts, as strings.
    public var details: [String: String]
    /// The previous entry's hash (64 zeros for the first).
    public var previousHash: String
    /// This entry's hash.
    public var hash: String

    enum CodingKeys: String, CodingKey {
        case sequence, time, actor, action, subject, details, hash
        case previousHash = "previous_hash"
    }

    /// The hash before any entry.
    public static let genesisHash = String(repeating: "0", count: 64)

    /// An entry; `hash` is computed.
    public init(
        sequence: Int, time: String, actor: String, action: String, subject: String, details: [String: String] = [:],
        previousHash: String
    ) {
        self.sequence = sequence
        self.time = time
        self.actor = actor
        self.action = action
        self.subject = subject
        self.details = details
        self.previousHash = previousHash
        self.hash = ""
        self.hash = computedHash()
    }

    /// An entry as read back from a store, with the hash it was stored with
    /// (not recomputed, so a verifier sees an edit).
    public static func stored(
        sequence: Int, time: String, actor: String, action: String, subject: String, details: [String: String],
        previousHash: String, hash: String
    ) -> AuditLogEntry {
        var entry = AuditLogEntry(
            sequence: sequence, time: time, actor: actor, action: action, subject: subject, details: details, previousHash: previousHash)
        entry.hash = hash
        return entry
    }

    /// `date` as entries write it: `2026-12-03T12:00:00.000Z` (ISO 8601, UTC, milliseconds).
    public static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: date)
    }

    /// The canonical JSON the hash covers.
    public var canonicalJSON: String {
        var out = "{\"action\":" + JSONString.quoted(action) + ",\"actor\":" + JSONString.quoted(actor) + ",\"details\":{"
        for (i, key) in details.keys.sorted().enumerated() {
            if i > 0 { out += "," }
            out += JSONString.quoted(key) + ":" + JSONString.quoted(details[key]!)
        }
        out += "},\"sequence\":\(sequence),\"subject\":" + JSONString.quoted(subject) + ",\"time\":" + JSONString.quoted(time) + "}"
        return out
    }

    /// SHA-256 over `previousHash` and `canonicalJSON`, as lower-case hex.
    public func computedHash() -> String { AuditLogHash.sha256Hex(previousHash + canonicalJSON) }

    /// The entry as one line of the log file: the canonical fields, then `hash` and `previous_hash`.
    public var line: String {
        String(canonicalJSON.dropLast()) + ",\"hash\":" + JSONString.quoted(hash) + ",\"previous_hash\":"
            + JSONString.quoted(previousHash) + "}"
    }
}
