/// What an API key may do. Scopes are ordered: `admin` can do what `write`
/// can, and `write` what `read` can.
public enum APIKeyScope: String, Codable, Sendable, CaseIterable, Comparable {
    /// Inference and listing.
    case read
    /// Also creates, replaces and deletes collections and their entries.
    case write
    /// Also registers and activates models and manages keys.
    case admin

    private var rank: Int {
        switch self {
        case .read: 0
        case .write: 1
        case .admin: 2
        }
    }

    /// True when a key of this scope may call a route that needs `required`.
    public func allows(_ required: APIKeyScope) -> Bool { rank >= required.rank }

    public static func < (lhs: APIKeyScope, rhs: APIKeyScope) -> Bool { lhs.rank < rhs.rank }
}
