import Crypto

/// SHA-256 as the audit log uses it.
enum AuditLogHash {
    /// Lower-case hex SHA-256 of `text`'s UTF-8.
    static func sha256Hex(_ text: String) -> String {
        SHA256.hash(data: Array(text.utf8)).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }
}
