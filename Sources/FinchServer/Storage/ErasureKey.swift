import FinchApps
import Foundation
import Logging

/// The secret of the keyed hashes that stand for erased users' ids
/// (tombstones, `user.erase` audit entries). Every instance must use the same
/// one, or tombstones stop matching.
///
/// - the `erasure_key` setting, when given (the strongest choice: a copy of
///   the database alone then cannot be used to test guessed ids);
/// - else with PostgreSQL: a random key kept in the database's
///   `privacy_secrets` table, made by the first instance (several instances
///   agree without configuration);
/// - else with SQLite: `erasure.key` in the data folder (32 random bytes as
///   hex, mode 0600, made on first start), beside the database but not in it.
enum ErasureKey {
    static func key(for configuration: ServerConfiguration, store: any ServiceStore, logger: Logger) async throws -> [UInt8] {
        if let key = configuration.erasureKey { return Array(key.utf8) }
        if configuration.databaseURL != nil {
            let stored = try await store.privacy.sharedSecret(name: "erasure_key", proposed: randomHex())
            logger.notice("erasure key kept in the database; set erasure_key to keep it outside")
            guard let bytes = bytes(hex: stored), bytes.count >= 16 else {
                throw StoreError.corruptRow(table: "privacy_secrets", field: "value")
            }
            return bytes
        }
        return try fileKey(folder: URL(fileURLWithPath: configuration.dataDirectory))
    }

    static func fileKey(folder: URL) throws -> [UInt8] {
        let path = folder.appendingPathComponent("erasure.key").path
        let fm = FileManager.default
        if fm.fileExists(atPath: path) {
            let text: String
            do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
                throw StoreError.cannotOpen(location: path, reason: "cannot read the erasure key: \(error.localizedDescription)")
            }
            guard let bytes = bytes(hex: text.trimmingCharacters(in: .whitespacesAndNewlines)), bytes.count >= 16 else {
                throw StoreError.cannotOpen(location: path, reason: "the erasure key must be at least 32 hex digits")
            }
            return bytes
        }
        do {
            try fm.createDirectory(at: folder, withIntermediateDirectories: true)
            // Written whole under a temporary name, then linked into place, so two
            // processes starting together cannot end up with different keys.
            let temporary = path + ".\(UUID().uuidString).tmp"
            guard fm.createFile(atPath: temporary, contents: Data((randomHex() + "\n").utf8), attributes: [.posixPermissions: 0o600])
            else { throw StoreError.cannotOpen(location: path, reason: "cannot write the erasure key") }
            defer { try? fm.removeItem(atPath: temporary) }
            try fm.linkItem(atPath: temporary, toPath: path)
        } catch let error as StoreError {
            throw error
        } catch {
            // Another process linked its key first: that one is used below.
            if !fm.fileExists(atPath: path) {
                throw StoreError.cannotOpen(location: path, reason: "cannot write the erasure key: \(error.localizedDescription)")
            }
        }
        return try fileKey(folder: folder)
    }

    /// 32 random bytes as lower-case hex.
    static func randomHex() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<32).map { _ in String(format: "%02x", UInt8.random(in: .min ... .max, using: &generator)) }.joined()
    }

    static func bytes(hex: String) -> [UInt8]? {
        let digits = Array(hex.utf8)
        guard digits.count % 2 == 0 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(digits.count / 2)
        for i in stride(from: 0, to: digits.count, by: 2) {
            guard let byte = UInt8(String(decoding: digits[i..<i + 2], as: UTF8.self), radix: 16) else { return nil }
            out.append(byte)
        }
        return out
    }
}
