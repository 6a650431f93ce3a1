import ArgumentParser
import FinchApps
import FinchServer
import Foundation

/// `finch keys create|list|revoke`: API keys in the service's store.
struct Keys: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create, list and revoke the service's API keys.",
        subcommands: [KeysCreate.self, KeysList.self, KeysRevoke.self])
}

/// Which store: the same settings as `finch serve`.
struct StoreOptions: ParsableArguments {
    @Option(help: "YAML settings file, as for finch serve.") var config: String?
    @Option(name: .customLong("data-dir"), help: "Folder of the SQLite database (default ./finch-data).") var dataDir: String?
    @Option(name: .customLong("database-url"), help: "postgres://user:password@host:port/database instead of SQLite.")
    var databaseURL: String?

    func open() async throws -> any ServiceStore {
        var flags: [String: String] = [:]
        flags["data_dir"] = dataDir
        flags["database_url"] = databaseURL
        do {
            let configuration = try ServerConfiguration.load(file: config, environment: ProcessInfo.processInfo.environment, flags: flags)
            return try await StoreFactory.open(configuration)
        } catch let error as ConfigurationError {
            throw ValidationError(error.description)
        }
    }
}

extension APIKeyScope: ExpressibleByArgument {}

struct KeysCreate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create", abstract: "Create a key and print it once, alone on stdout (only its salted hash is stored).")

    @Option(help: "read, write or admin.") var scope: APIKeyScope
    @Option(help: "A name to recognise the key by.") var name = ""
    @OptionGroup var store: StoreOptions

    func run() async throws {
        let db = try await store.open()
        let (key, record) = APIKeyHasher.generate(name: name, scope: scope)
        try await db.keys.insert(record)
        try await StoreAuditTrail(repository: db.privacy).record(
            actor: "cli", action: AdminAction.keyCreate, subject: record.id, details: ["name": record.name, "scope": record.scope.rawValue])
        try await db.close()
        try StandardOutput.line(key)
    }
}

struct KeysList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List keys: id, scope, name, created, revoked.")

    @OptionGroup var store: StoreOptions

    func run() async throws {
        let db = try await store.open()
        let keys = try await db.keys.allKeys()
        try await db.close()
        let format = ISO8601DateFormatter()
        try StandardOutput.line("id\tscope\tname\tcreated\trevoked")
        for k in keys {
            try StandardOutput.line(
                "\(k.id)\t\(k.scope.rawValue)\t\(k.name)\t\(format.string(from: k.createdAt))\t\(k.revokedAt.map(format.string) ?? "-")")
        }
    }
}

struct KeysRevoke: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "revoke", abstract: "Revoke a key by its id (the part after finch_).")

    @Argument(help: "The key's id, or the whole key.") var id: String
    @OptionGroup var store: StoreOptions

    func run() async throws {
        let keyID = APIKeyHasher.parse(id)?.id ?? id
        let db = try await store.open()
        let found = try await db.keys.revoke(id: keyID, at: Date())
        if found {
            try await StoreAuditTrail(repository: db.privacy).record(
                actor: "cli", action: AdminAction.keyRevoke, subject: keyID, details: [:])
        }
        try await db.close()
        guard found else { throw ValidationError("no key with id \(keyID)") }
        try StandardOutput.line("revoked \(keyID)")
    }
}
