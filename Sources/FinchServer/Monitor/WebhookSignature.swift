import Crypto
import Foundation

/// The `X-Finch-Signature` header of a webhook delivery: `sha256=` and the
/// lowercase hex HMAC-SHA256 of the exact body bytes, keyed with the
/// webhook's secret (UTF-8). A receiver recomputes it over the raw body and
/// compares in constant time.
public enum WebhookSignature {
    /// The header's name.
    public static let header = "X-Finch-Signature"

    /// `sha256=<hex>` for `body` under `secret`.
    public static func value(body: Data, secret: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Data(secret.utf8)))
        return "sha256=" + mac.map { String(format: "%02x", $0) }.joined()
    }

    /// Whether `header` is the signature of `body` under `secret` (constant-time compare).
    public static func isValid(_ header: String, body: Data, secret: String) -> Bool {
        let expected = Array(value(body: body, secret: secret).utf8)
        let given = Array(header.utf8)
        guard expected.count == given.count else { return false }
        var difference: UInt8 = 0
        for (a, b) in zip(expected, given) { difference |= a ^ b }
        return difference == 0
    }
}
