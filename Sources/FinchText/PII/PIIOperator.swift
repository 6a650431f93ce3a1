/// What redaction puts in place of a finding.
public enum PIIOperator: Sendable, Equatable, CustomStringConvertible {
    /// `<TYPE>` (Presidio's default `replace`).
    case replace
    /// Every scalar but the last `keepLast` becomes `character`.
    case mask(keepLast: Int, character: Unicode.Scalar)
    /// The keyed hash of the value (HMAC-SHA256 as lower-case hex with Finch's
    /// `HMACKeyedHasher`), so one value always maps to one token and joins survive.
    case hash
    /// Nothing.
    case remove

    /// Reads `replace`, `mask` (keep the last 4), `mask:N`, `hash` or `remove`.
    public init(parsing spelling: String) throws {
        let lower = spelling.lowercased()
        switch lower {
        case "replace": self = .replace
        case "mask": self = .mask(keepLast: 4, character: "*")
        case "hash": self = .hash
        case "remove": self = .remove
        default:
            guard lower.hasPrefix("mask:"), let n = Int(lower.dropFirst(5)), n >= 0 else { throw PIIError.invalidOperator(spelling) }
            self = .mask(keepLast: n, character: "*")
        }
    }

    public var description: String {
        switch self {
        case .replace: return "replace"
        case .mask(let n, _): return "mask:\(n)"
        case .hash: return "hash"
        case .remove: return "remove"
        }
    }
}

/// A keyed one-way function for the `hash` operator. FinchText depends on
/// Foundation and FinchSupport only, so the HMAC-SHA256 implementation lives
/// where swift-crypto is available (`FinchApps.HMACKeyedHasher`).
public protocol PIIKeyedHasher: Sendable {
    /// The token for `value` (the same value always gives the same token).
    func token(for value: String) -> String
}

/// Per-type operators, with a default for every other type.
public struct PIIOperators: Sendable, Equatable {
    /// The operator for types without their own.
    public var defaultOperator: PIIOperator
    /// Operators by type.
    public var byType: [PIIEntityType: PIIOperator]

    /// Operators: `replace` for every type unless said otherwise.
    public init(defaultOperator: PIIOperator = .replace, byType: [PIIEntityType: PIIOperator] = [:]) {
        self.defaultOperator = defaultOperator
        self.byType = byType
    }

    /// Reads command-line spellings: `OP` sets the default, `TYPE=OP` one type's.
    public init(parsing spellings: [String]) throws {
        self.init()
        for spelling in spellings {
            if let eq = spelling.firstIndex(of: "=") {
                let type = String(spelling[..<eq])
                guard !type.isEmpty else { throw PIIError.invalidOperator(spelling) }
                byType[PIIEntityType(rawValue: type)] = try PIIOperator(parsing: String(spelling[spelling.index(after: eq)...]))
            } else {
                defaultOperator = try PIIOperator(parsing: spelling)
            }
        }
    }

    /// The operator for `type`.
    public func callAsFunction(_ type: PIIEntityType) -> PIIOperator { byType[type] ?? defaultOperator }
}
