import FinchSupport
import Foundation

/// What is wrong with an audit log, at the first entry that breaks the chain.
public enum AuditLogProblem: Sendable, Equatable, CustomStringConvertible {
    /// A line that is not an entry (bad JSON, a missing field).
    case unreadable(line: Int, reason: String)
    /// The entry's contents no longer give its hash: it was edited.
    case edited(line: Int, sequence: Int)
    /// The entry does not follow the one before: an entry was removed,
    /// inserted or moved (its `previous_hash` or `sequence` is not the expected one).
    case brokenLink(line: Int, sequence: Int, expectedSequence: Int)

    /// The 1-based line of the first broken entry.
    public var line: Int {
        switch self {
        case .unreadable(let line, _), .edited(let line, _), .brokenLink(let line, _, _): return line
        }
    }

    public var description: String {
        switch self {
        case .unreadable(let line, let reason): return "line \(line): not an audit entry: \(reason)"
        case .edited(let line, let sequence):
            return "line \(line): entry \(sequence) was changed after it was written (its hash does not match its contents)"
        case .brokenLink(let line, let sequence, let expected):
            return sequence == expected
                ? "line \(line): entry \(sequence) does not follow the entry before it (an entry before it was removed, changed or moved)"
                : "line \(line): entry \(sequence) where entry \(expected) was expected (entries were removed or reordered)"
        }
    }
}

/// The result of verifying a log.
public struct AuditLogVerification: Sendable, Equatable {
    /// Entries read and found intact before the first problem (all of them when `problem` is nil).
    public var verifiedEntries: Int
    /// The first problem, nil when the whole chain holds.
    public var problem: AuditLogProblem?
    /// The last good hash (the genesis hash for an empty log).
    public var headHash: String
}

/// Checks a hash-chained audit log (one JSON entry per line, as `AuditLog`
/// writes it and `GET /v1/audit` exports it) and names the first entry that
/// breaks the chain.
public enum AuditLogVerifier {
    /// Verifies `contents` (empty lines are ignored).
    public static func verify(_ contents: String) -> AuditLogVerification {
        var chain = Chain()
        let decoder = JSONDecoder()
        for (index, raw) in contents.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = index + 1
            let text = raw.hasSuffix("\r") ? raw.dropLast() : raw
            if text.allSatisfy(\.isWhitespace) { continue }
            let entry: AuditLogEntry
            do { entry = try decoder.decode(AuditLogEntry.self, from: Data(text.utf8)) } catch {
                return chain.result(.unreadable(line: line, reason: describe(error)))
            }
            if let problem = chain.add(entry, line: line) { return chain.result(problem) }
        }
        return chain.result(nil)
    }

    /// Verifies entries read from a store, in the order given (by sequence); a
    /// problem's `line` is the 1-based position in `entries`, the line it would
    /// have in an export.
    public static func verify(entries: [AuditLogEntry]) -> AuditLogVerification {
        var chain = Chain()
        for (index, entry) in entries.enumerated() {
            if let problem = chain.add(entry, line: index + 1) { return chain.result(problem) }
        }
        return chain.result(nil)
    }

    /// The running check both forms share: each entry's hash must match its
    /// contents and link to the entry before.
    struct Chain {
        var previous = AuditLogEntry.genesisHash
        var expectedSequence = 1
        var verified = 0

        mutating func add(_ entry: AuditLogEntry, line: Int) -> AuditLogProblem? {
            if entry.computedHash() != entry.hash { return .edited(line: line, sequence: entry.sequence) }
            if entry.previousHash != previous || entry.sequence != expectedSequence {
                return .brokenLink(line: line, sequence: entry.sequence, expectedSequence: expectedSequence)
            }
            previous = entry.hash
            expectedSequence += 1
            verified += 1
            return nil
        }

        func result(_ problem: AuditLogProblem?) -> AuditLogVerification {
            AuditLogVerification(verifiedEntries: verified, problem: problem, headHash: previous)
        }
    }

    private static func describe(_ error: any Error) -> String {
        switch error as? DecodingError {
        case .keyNotFound(let key, _)?: return "missing field \"\(key.stringValue)\""
        case .typeMismatch(_, let context)?, .valueNotFound(_, let context)?:
            return "field \"\(context.codingPath.map(\.stringValue).joined(separator: "."))\" has the wrong type"
        default: return "not valid JSON"
        }
    }
}
