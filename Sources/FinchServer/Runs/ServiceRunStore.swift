import FinchApps
import FinchTrain
import Foundation

/// Which run store the service reads (`/v1/runs`, the dashboard's Runs page) and its retrain jobs
/// record into: on PostgreSQL (`database_url`) the database's (`PostgresRunStore`), shared by every
/// instance; on SQLite `runs.sqlite` in the runs folder (`runs_dir`, else `~/.finch/runs`), as
/// `finch train --runs DIR` records. Every call is blocking: async code goes through `RunStoreThread.run`.
public enum ServiceRunStore: Sendable {
    /// `runs.sqlite` in the folder; `chosen` when the configuration names it (it must then open).
    case folder(URL, chosen: Bool)
    /// The service's PostgreSQL database.
    case database(PostgresRunStore)

    /// The store for the service with `configuration` on `store`: the database's on PostgreSQL; on
    /// SQLite the runs folder's, or the database a `postgres://` `runs_dir` names (as `--runs` may).
    static func service(_ configuration: ServerConfiguration, store: any ServiceStore) async throws -> ServiceRunStore {
        if let postgres = store as? PostgresStore { return .database(PostgresRunStore(store: postgres)) }
        if let url = configuration.runsDirectory, PostgresRunStore.isDatabaseURL(url) {
            return .database(try await RunStoreThread.run { try PostgresRunStore(url: url) })
        }
        return .folder(configuration.runsFolder, chosen: configuration.runsDirectory != nil)
    }

    /// Calls `body` with the store to read, nil while a runs folder holds no `runs.sqlite` (reading
    /// makes no file). Blocks.
    func read<T>(_ body: ((any RunStore)?) throws -> T) throws -> T {
        switch self {
        case .database(let store): return try body(store)
        case .folder(let folder, _):
            let path = folder.appendingPathComponent(SQLiteRunStore.fileName).path
            guard FileManager.default.fileExists(atPath: path) else { return try body(nil) }
            let store = try SQLiteRunStore(path: path)
            defer { try? store.close() }
            return try body(store)
        }
    }

    /// The store to record into (the runs folder's is made when missing). Blocks.
    func forWriting() throws -> any RunStore {
        switch self {
        case .database(let store): store
        case .folder(let folder, _): try SQLiteRunStore(folder: folder)
        }
    }

    /// Whether the configuration chose this store (a store that does not open then fails a retrain).
    var chosen: Bool {
        switch self {
        case .database: true
        case .folder(_, let chosen): chosen
        }
    }
}
