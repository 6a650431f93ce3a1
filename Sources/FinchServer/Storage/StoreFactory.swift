import FinchApps
import Foundation
import Logging

/// Opens the store the configuration names: PostgreSQL when `databaseURL`
/// is set, else SQLite in `dataDirectory`.
public enum StoreFactory {
    public static func open(_ configuration: ServerConfiguration, logger: Logger = Logger(label: "finch.store")) async throws
        -> any ServiceStore
    {
        if let url = configuration.databaseURL { return try await PostgresStore(url: url, logger: logger) }
        return try SQLiteStore(path: configuration.sqlitePath)
    }
}
