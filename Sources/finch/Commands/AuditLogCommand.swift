import ArgumentParser
import FinchApps
import FinchServer
import Foundation

/// `finch audit-log`: the hash-chained log of administrative actions.
struct AuditLogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit-log",
        abstract: "Verify or append to a hash-chained audit log (one JSON entry per line).",
        discussion: """
            Each entry's hash is SHA-256 of the previous entry's hash followed by the entry's \
            canonical JSON, so an edited, removed, inserted or reordered entry breaks the chain \
            from that entry on.
            """,
        subcommands: [AuditLogVerify.self, AuditLogAppend.self])
}

/// `finch audit-log verify FILE` or `finch audit-log verify --data-dir DIR | --database-url URL`.
struct AuditLogVerify: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check an audit log file, a GET /v1/audit export or the service's store, and name the first broken entry.",
        discussion: """
            With FILE, checks the file. With --data-dir, --database-url or --config (the settings of \
            finch serve), checks the audit trail in the service's store (admin actions: keys, models, \
            erasures). Exit status 0 and a summary when the chain holds; 1 and the first broken entry when it does not.
            """)

    @Argument(help: "The log file (leave out to check the store).") var file: String?
    @OptionGroup var store: StoreOptions

    func validate() throws {
        let storeNamed = store.config != nil || store.dataDir != nil || store.databaseURL != nil
        if file == nil && !storeNamed { throw ValidationError("give a log FILE, or --data-dir / --database-url for the store's trail") }
        if file != nil && storeNamed { throw ValidationError("give a log FILE or a store, not both") }
    }

    func run() async throws {
        guard let file else { return try await verifyStore() }
        let contents: String
        do { contents = try String(contentsOfFile: file, encoding: .utf8) } catch {
            throw AuditLogError.io(path: file, reason: "cannot read: \(error.localizedDescription)")
        }
        let result = AuditLogVerifier.verify(contents)
        if let problem = result.problem {
            throw AuditLogError.broken(path: file, problem: problem)
        }
        try StandardOutput.line("\(file): \(result.verifiedEntries) entries, chain intact, head \(result.headHash)")
    }

    private func verifyStore() async throws {
        let db = try await store.open()
        let entries = try await db.privacy.allAuditEntries()
        try await db.close()
        let location = store.databaseURL != nil ? "database audit trail" : "store audit trail"
        let result = AuditLogVerifier.verify(entries: entries)
        if let problem = result.problem {
            throw AuditLogError.broken(
                path: location, problem: problem)
        }
        try StandardOutput.line("\(location): \(result.verifiedEntries) entries, chain intact, head \(result.headHash)")
    }
}

/// `finch audit-log append`.
struct AuditLogAppend: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "append",
        abstract: "Append one entry to an audit log (the log is verified first).")

    @Option(help: "The log file (created when missing).") var file: String
    @Option(help: "Who acted.") var actor: String
    @Option(help: "What was done (key.create, model.activate, user.erase, ...).") var action: String
    @Option(help: "What it was done to.") var subject: String
    @Option(name: .customLong("detail"), help: "KEY=VALUE (repeatable).") var details: [String] = []

    func validate() throws {
        for d in details where !d.contains("=") { throw ValidationError("--detail \(d): expected KEY=VALUE") }
    }

    func run() throws {
        var map: [String: String] = [:]
        for d in details {
            let eq = d.firstIndex(of: "=")!
            map[String(d[..<eq])] = String(d[d.index(after: eq)...])
        }
        let entry = try AuditLog(path: file).append(actor: actor, action: action, subject: subject, details: map)
        try StandardOutput.line(entry.line)
    }
}
