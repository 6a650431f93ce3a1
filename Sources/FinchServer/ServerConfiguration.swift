import FinchApps
import FinchTrain
import Foundation

/// Everything `finch serve` is told: where to listen, where to store, which
/// models to register at start, and the limits. Built by
/// `ServerConfiguration.load(file:environment:flags:)` from a YAML file,
/// `FINCH_…` environment variables and flags, flags winning.
public struct ServerConfiguration: Sendable, Equatable {
    /// A model to register at start: `name` → folder.
    public struct ModelSpec: Sendable, Equatable {
        public var name: String
        public var path: String
        public init(name: String, path: String) {
            self.name = name
            self.path = path
        }
    }

    public var host = "127.0.0.1"
    public var port = 8080
    /// Folder of the SQLite database (created when missing).
    public var dataDirectory = "./finch-data"
    /// `postgres://user:password@host:port/database`; when set, PostgreSQL replaces SQLite.
    public var databaseURL: String?
    public var models: [ModelSpec] = []
    public var batching = BatchingOptions()
    /// Largest request body, bytes (413 above).
    public var maxBodyBytes = 1 << 20
    /// Most texts in one request (400 above).
    public var maxInputs = 256
    /// Most characters in one text (400 above).
    public var maxCharacters = 20_000
    /// Requests per second per key (token bucket refill).
    public var rateLimitPerSecond = 200.0
    /// Requests a key may make at once before the rate applies.
    public var rateLimitBurst = 400.0
    /// Seconds between checks for writes made by other instances.
    public var reloadIntervalSeconds = 2.0
    /// swift-log level name: trace, debug, info, notice, warning, error, critical.
    public var logLevel = "info"
    /// Seconds a graceful shutdown waits for requests in flight.
    public var shutdownGraceSeconds = 30.0
    /// Whether user texts (assistant questions, feedback inputs, monitored documents, …) pass
    /// through the PII redactor before they are written to the store. On by default.
    public var redactStoredText = true
    /// The recommendation service (`recommend_…` settings).
    public var recommend = RecommendConfiguration()
    /// The consent of users who never set theirs (`PUT /v1/users/{id}/consent`), for both
    /// personalization and keeping their texts for training. On by default, so a new user's
    /// history personalizes their results at once; a deployment that needs opt-in sets it false.
    public var defaultConsent = true
    /// The secret for the keyed hashes that stand for erased users' ids (tombstones, audit
    /// entries); nil: with PostgreSQL a random key kept in the database, with SQLite
    /// `erasure.key` in `dataDirectory`, made on first start (see `ErasureKey`).
    public var erasureKey: String?
    /// Settings of `POST /v1/models/{name}/retrain` (margin, epochs, learning rate, …).
    public var retrain = RetrainOptions()
    /// The runs folder whose `runs.sqlite` `GET /v1/runs` and the dashboard's runs page read, and
    /// retrains record into (`runs_dir`, so `FINCH_RUNS_DIR` as for `finch train`); nil:
    /// `~/.finch/runs`. SQLite only: with `databaseURL` the runs are the database's
    /// (`ServiceRunStore`), shared by every instance.
    public var runsDirectory: String?

    public init() {}

    /// The runs folder: `runsDirectory`, else `~/.finch/runs`.
    public var runsFolder: URL {
        runsDirectory.map { URL(fileURLWithPath: $0) } ?? RunsFolder.defaultFolder()
    }

    /// The SQLite file inside `dataDirectory`.
    public var sqlitePath: String { URL(fileURLWithPath: dataDirectory).appendingPathComponent("finch.sqlite").path }
}
