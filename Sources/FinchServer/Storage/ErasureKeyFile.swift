import FinchApps
import Foundation

/// The secret of the keyed hashes that stand for erased users' ids: the
/// `erasure_key` setting when given, else `erasure.key` in the data folder
/// (32 random bytes as hex, mode 0600, made on first start).
enum ErasureKeyFile {
    static func key(for configuration: ServerConfiguration) throws -> [UInt8] {
        if let key = configuration.erasureKey { return Array(key.utf8) }
        let folder = URL(fileURLWithPath: configuration.dataDirectory)
        let path = folder.appendingPathComponent("erasure.key").path
        let fm = FileManager.default
        if fm.fileExists(atPath: path) {
            let text: String
            do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
                throw StoreError.cannotOpen(location: path, reason: "cannot read the erasure key: \(error.localizedDescription)")
            }
            let hex = text.trimmingCharacters(in: .whitespacesAndNewlines)
            guard let bytes = Self.bytes(hex: hex), bytes.count >= 16 else {
                throw StoreError.cannotOpen(location: path, reason: "the erasure key must be at least 32 hex digits")
            }
            return bytes
        }
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        let hex = bytes.map { String(format: "%02x", $0) }.joined() + "\n"
        do {
            try fm.createDirectory(at: folder, withIntermediateDirectories: true)
            // Written whole under a temporary name, then linked into place, so two
            // instances starting together cannot end up with different keys.
            let temporary = path + ".\(UUID().uuidString).tmp"
            guard fm.createFile(atPath: temporary, contents: Data(hex.utf8), attributes: [.posixPermissions: 0o600]) else {
                throw StoreError.cannotOpen(location: path, reason: "cannot write the erasure key")
            }
            defer { try? fm.removeItem(atPath: temporary) }
            try fm.linkItem(atPath: temporary, toPath: path)
        } catch let error as StoreError {
            throw error
        } catch {
            // Another instance linked its key first: use that one.
            if fm.fileExists(atPath: path) { return try key(for: configuration) }
            throw StoreError.cannotOpen(location: path, reason: "cannot write the erasure key: \(error.localizedDescription)")
        }
        return bytes
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
