/// Why PII detection or redaction could not be set up or run. Each case
/// names the file, field or entry at fault.
public enum PIIError: Error, Equatable, CustomStringConvertible {
    /// A configuration file could not be read or decoded.
    case invalidConfiguration(path: String, reason: String)
    /// A custom pattern is not a valid regular expression.
    case invalidPattern(path: String, index: Int, type: String, reason: String)
    /// An operator spelling that is not `replace`, `mask[:N]`, `hash` or `remove`.
    case invalidOperator(String)
    /// The keyed-hash operator was asked for without a key.
    case hashWithoutKey(type: String)
    /// The named-entity tagger failed.
    case taggerFailed(reason: String)

    /// A one-line message naming what is at fault.
    public var description: String {
        switch self {
        case .invalidConfiguration(let path, let reason):
            return "\(path): \(reason)"
        case .invalidPattern(let path, let index, let type, let reason):
            return "\(path): patterns[\(index)] (\(type)): not a valid regular expression: \(reason)"
        case .invalidOperator(let spelling):
            return "operator `\(spelling)`: expected replace, mask, mask:N, hash or remove (optionally TYPE=operator)"
        case .hashWithoutKey(let type):
            return "the hash operator for \(type) needs a key (no keyed hasher was configured)"
        case .taggerFailed(let reason):
            return "named-entity tagger failed: \(reason)"
        }
    }
}
