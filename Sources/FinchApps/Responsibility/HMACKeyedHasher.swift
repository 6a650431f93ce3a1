import Crypto
import FinchText
import Foundation

/// The `hash` redaction operator's function: HMAC-SHA256 of the value's UTF-8
/// under a secret key, as lower-case hex (64 characters). It lives here and
/// not in FinchText because FinchText depends on Foundation and FinchSupport
/// only; FinchApps already has swift-crypto.
public struct HMACKeyedHasher: PIIKeyedHasher {
    /// The key's bytes (swift-crypto's `SymmetricKey` is not `Sendable`, so it is made per call).
    private let key: [UInt8]

    /// A hasher with `key` (use at least 32 random bytes).
    public init(key: [UInt8]) { self.key = key }

    public func token(for value: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Array(value.utf8), using: SymmetricKey(data: key))
        return mac.map { String(format: "%02x", $0) }.joined()
    }
}
