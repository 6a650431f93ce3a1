import Crypto
import Foundation

/// The rules of API keys: a key reads `finch_<id>_<secret>`, where `id` is 12
/// hex digits (public, the database key) and `secret` 43 base64url
/// characters (256 random bits). Only SHA-256(salt ‖ secret) is stored, with
/// a random 16-byte salt per key; checking compares the hashes in constant time.
public enum APIKeyHasher {
    /// A new key and the record to store for it. The key string is shown once.
    public static func generate(name: String, scope: APIKeyScope, now: Date = Date()) -> (key: String, record: APIKeyRecord) {
        let id = hex(randomBytes(6))
        let secret = base64URL(randomBytes(32))
        let salt = hex(randomBytes(16))
        // Dates are stored as seconds since 1970; one made from that number reads back equal.
        let created = Date(timeIntervalSince1970: now.timeIntervalSince1970)
        let record = APIKeyRecord(id: id, name: name, scope: scope, salt: salt, hash: hash(secret: secret, salt: salt), createdAt: created)
        return ("finch_\(id)_\(secret)", record)
    }

    /// Splits a presented key into id and secret; nil when it has not the shape of a Finch key.
    public static func parse(_ key: String) -> (id: String, secret: String)? {
        let parts = key.split(separator: "_", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "finch", parts[1].count == 12, !parts[2].isEmpty,
            parts[1].allSatisfy(\.isHexDigit)
        else { return nil }
        return (String(parts[1]), String(parts[2]))
    }

    /// Hex SHA-256 of the salt's bytes followed by the secret's UTF-8.
    public static func hash(secret: String, salt: String) -> String {
        var hasher = SHA256()
        hasher.update(data: Array(salt.utf8))
        hasher.update(data: Array(secret.utf8))
        return hex(Array(hasher.finalize()))
    }

    /// True when `secret` hashes to the record's hash; the comparison takes
    /// the same time wherever the first difference is.
    public static func verify(secret: String, against record: APIKeyRecord) -> Bool {
        constantTimeEqual(Array(hash(secret: secret, salt: record.salt).utf8), Array(record.hash.utf8))
    }

    /// Byte equality without an early exit.
    public static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for i in 0..<a.count { difference |= a[i] ^ b[i] }
        return difference == 0
    }

    static func randomBytes(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
    }

    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef")
        var out = ""
        out.reserveCapacity(bytes.count * 2)
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 15)])
        }
        return out
    }

    static func base64URL(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
