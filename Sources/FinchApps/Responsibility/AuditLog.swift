import FinchSupport
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Why the audit log could not be read or appended to.
public enum AuditLogError: Error, Equatable, CustomStringConvertible {
    /// The file could not be opened, read or written.
    case io(path: String, reason: String)
    /// The existing log is damaged, so nothing is appended to it.
    case broken(path: String, problem: AuditLogProblem)

    public var description: String {
        switch self {
        case .io(let path, let reason): return "\(path): \(reason)"
        case .broken(let path, let problem): return "\(path): \(problem)"
        }
    }
}

/// An append-only audit log in a file: one hash-chained JSON entry per line.
/// Opening verifies the whole chain; each append writes one line with
/// `O_APPEND` and `fsync`s before it returns, so an acknowledged entry is on disk.
public final class AuditLog: @unchecked Sendable {
    /// The log file.
    public let path: String
    private let lock = NSLock()
    private var head: String
    private var count: Int

    /// Opens (or creates) the log at `path` after verifying it.
    ///
    /// - Throws: `AuditLogError.broken` naming the first broken entry, `.io` when unreadable.
    public init(path: String) throws {
        self.path = path
        var contents = ""
        if FileManager.default.fileExists(atPath: path) {
            do { contents = try String(contentsOfFile: path, encoding: .utf8) } catch {
                throw AuditLogError.io(path: path, reason: "cannot read: \(error.localizedDescription)")
            }
        }
        let verification = AuditLogVerifier.verify(contents)
        if let problem = verification.problem { throw AuditLogError.broken(path: path, problem: problem) }
        head = verification.headHash
        count = verification.verifiedEntries
    }

    /// Number of entries.
    public var entryCount: Int { lock.withLock { count } }

    /// Appends an entry and returns it (with its sequence number and hashes).
    @discardableResult
    public func append(actor: String, action: String, subject: String, details: [String: String] = [:], at date: Date = Date())
        throws -> AuditLogEntry
    {
        try lock.withLock {
            let entry = AuditLogEntry(
                sequence: count + 1, time: AuditLogEntry.timestamp(date), actor: actor, action: action, subject: subject, details: details,
                previousHash: head)
            try write(entry.line + "\n")
            head = entry.hash
            count += 1
            return entry
        }
    }

    private func write(_ line: String) throws {
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT, 0o600)
        guard fd >= 0 else { throw AuditLogError.io(path: path, reason: "cannot open: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        let bytes = Array(line.utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { systemWrite(fd, $0.baseAddress!, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw AuditLogError.io(path: path, reason: "cannot write: \(String(cString: strerror(errno)))")
            }
            offset += n
        }
        guard fsync(fd) == 0 else { throw AuditLogError.io(path: path, reason: "cannot sync: \(String(cString: strerror(errno)))") }
    }

    private func systemWrite(_ fd: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
        #if canImport(Glibc)
            return Glibc.write(fd, bytes, count)
        #else
            return Darwin.write(fd, bytes, count)
        #endif
    }
}
