import FinchTrain
import Foundation
import Logging
import PostgresNIO

/// The run store in the service's PostgreSQL database (the `training_run…`
/// tables of migration 7), so every instance on one database, and every
/// `finch` command recording with `--runs postgres://…`, sees every run. The
/// same semantics as `SQLiteRunStore`: ids from one sequence (concurrent
/// begins never collide), a metric point replaces one of the same name and
/// step, each call is one transaction committed before it returns (a process
/// killed mid-run leaves what it recorded), runs newest first, points in step
/// then name order; the run's host, boot and pid are stored so that
/// `runsMarkingLost` checks the runs of its own host only.
///
/// Blocking bridge. `RunStore` is synchronous (training calls it from its
/// own threads) and postgres-nio is async: each call starts a detached task
/// for the queries and blocks its caller on a semaphore until that task is
/// done. That is safe only off Swift's cooperative pool (2 threads wide here;
/// a blocked pool thread is what the query task may need). So the rule is:
/// training threads and the main thread call the store directly; every async
/// caller (the service's `/v1/runs` handlers, the retrain jobs' recording,
/// `finch retrain`) calls it through `RunStoreThread.run`, which does the call
/// on a thread of its own. A call made on the pool anyway throws
/// `RunStoreError.calledOnCooperativePool` instead of risking a deadlock.
/// (An async variant of every call was the other choice; one set of calls,
/// shared with `SQLiteRunStore` through the protocol and its
/// `runsMarkingLost`, keeps the two stores from drifting apart.)
public final class PostgresRunStore: RunStore {
    let client: PostgresClient
    let logger: Logger
    /// The client's run loop when this store made the client (nil: it shares the service's).
    private let runner: Task<Void, Never>?
    /// The database, without its password (messages).
    public let location: String

    /// Connects to `url` and applies the service's migrations the database lacks (a `finch` command
    /// may be the first to reach a new database). Blocks: call it off the cooperative pool.
    /// - Throws: `RunStoreError.cannotOpen`.
    public init(url: String, logger: Logger = Logger(label: "finch.runs")) throws {
        location = PostgresURL.redacted(url)
        self.logger = logger
        let configuration: PostgresClient.Configuration
        do { configuration = try PostgresURL.configuration(url) } catch {
            throw RunStoreError.cannotOpen(path: location, reason: error.description)
        }
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        self.client = client
        let runner = Task.detached { await client.run() }
        self.runner = runner
        do {
            try Self.wait("open") { try await PostgresStore.migrate(client, logger: logger) }
        } catch {
            runner.cancel()
            if let e = error as? RunStoreError { throw e }
            throw RunStoreError.cannotOpen(path: location, reason: String(reflecting: error))
        }
    }

    /// The store on the service's own connection pool (its store applied the migrations).
    public init(store: PostgresStore) {
        client = store.client
        logger = store.logger
        runner = nil
        location = "the service's PostgreSQL database"
    }

    /// Stops the client this store made (a store sharing the service's leaves it running).
    public func close() { runner?.cancel() }

    /// True for a `--runs` value or a `runs_dir` naming a database rather than a folder.
    public static func isDatabaseURL(_ value: String) -> Bool {
        value.hasPrefix("postgres://") || value.hasPrefix("postgresql://")
    }

    /// Does `work` on a detached task and blocks the calling thread until it is done.
    static func wait<T: Sendable>(_ call: String, _ work: @escaping @Sendable () async throws -> T) throws -> T {
        guard !RunStoreThread.onCooperativePool else { throw RunStoreError.calledOnCooperativePool(call) }
        let box = ResultBox<T>()
        let done = DispatchSemaphore(value: 0)
        Task.detached {
            let result: Result<T, any Error>
            do {
                result = .success(try await work())
            } catch let error as PostgresTransactionError where error.closureError is RunStoreError {
                result = .failure(error.closureError!)  // the store's own error, not its transaction's wrapper
            } catch {
                result = .failure(error)
            }
            box.set(result)
            done.signal()
        }
        done.wait()
        return try box.get()
    }

    // MARK: writes

    public func begin(_ s: RunStart) throws -> Int {
        let client = client, logger = logger
        return try Self.wait("begin") {
            try await client.withTransaction(logger: logger) { db in
                var id: Int?
                let rows = try await db.query(
                    """
                    INSERT INTO training_runs (kind, model, command, output, status, best_metric, started_at, updated_at,
                      host, boot_id, pid, start_ticks)
                    VALUES (\(s.kind), \(s.model), \(s.command), \(s.outputDirectory), 'running', \(s.bestMetric),
                      \(s.startedAt.timeIntervalSince1970), \(s.startedAt.timeIntervalSince1970), \(s.process.host),
                      \(s.process.bootID), \(Int(s.process.pid)), \(s.process.startTicks))
                    RETURNING id
                    """, logger: logger)
                for try await value in rows.decode(Int.self) { id = value }
                guard let id else { throw RunStoreError.unknownRun("(new)") }
                for (name, value) in s.parameters.sorted(by: { $0.key < $1.key }) {
                    try await db.query(
                        "INSERT INTO training_run_parameters (run_id, name, value) VALUES (\(id), \(name), \(value))", logger: logger)
                }
                for (i, d) in s.dataHashes.enumerated() {
                    try await db.query(
                        """
                        INSERT INTO training_run_data (run_id, position, role, path, sha256)
                        VALUES (\(id), \(i), \(d.role), \(d.path), \(d.sha256))
                        """, logger: logger)
                }
                return id
            }
        }
    }

    public func record(run: Int, points: [RunMetricPoint], best: RunBest?, at date: Date) throws {
        let client = client, logger = logger
        try Self.wait("record") {
            try await client.withTransaction(logger: logger) { db in
                // The run's row first: an unknown run is an error, not a foreign-key failure.
                let step = points.map(\.step).max() ?? 0
                let updated = try await db.query(
                    """
                    UPDATE training_runs SET steps = GREATEST(steps, \(step)), updated_at = \(date.timeIntervalSince1970)
                    WHERE id = \(run) RETURNING id
                    """, logger: logger)
                var found = false
                for try await _ in updated.decode(Int.self) { found = true }
                guard found else { throw RunStoreError.unknownRun(String(run)) }
                for p in points {
                    // NaN is stored as NULL, as SQLite does, and reads back as NaN.
                    let value: Double? = p.value.isNaN ? nil : p.value
                    try await db.query(
                        """
                        INSERT INTO training_run_metrics (run_id, name, step, epoch, value)
                        VALUES (\(run), \(p.name), \(p.step), \(p.epoch), \(value))
                        ON CONFLICT (run_id, name, step) DO UPDATE SET epoch = EXCLUDED.epoch, value = EXCLUDED.value
                        """, logger: logger)
                }
                if let best {
                    try await db.query(
                        """
                        UPDATE training_runs SET best_metric = \(best.metric), best_value = \(best.value), best_step = \(best.step)
                        WHERE id = \(run)
                        """, logger: logger)
                }
            }
        }
    }

    public func finish(run: Int, status: RunStatus, finalMetrics: [String: Double], artefacts: [RunArtefact], error: String?, at date: Date)
        throws
    {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let metrics = String(decoding: try encoder.encode(finalMetrics.filter { $0.value.isFinite }), as: UTF8.self)
        let client = client, logger = logger
        try Self.wait("finish") {
            try await client.withTransaction(logger: logger) { db in
                let t = date.timeIntervalSince1970
                let updated = try await db.query(
                    """
                    UPDATE training_runs SET status = \(status.rawValue), final_metrics = \(metrics), error = \(error),
                      finished_at = \(t), updated_at = \(t)
                    WHERE id = \(run) RETURNING id
                    """, logger: logger)
                var found = false
                for try await _ in updated.decode(Int.self) { found = true }
                guard found else { throw RunStoreError.unknownRun(String(run)) }
                try await db.query("DELETE FROM training_run_artefacts WHERE run_id = \(run)", logger: logger)
                for (i, a) in artefacts.enumerated() {
                    try await db.query(
                        "INSERT INTO training_run_artefacts (run_id, position, name, path) VALUES (\(run), \(i), \(a.name), \(a.path))",
                        logger: logger)
                }
            }
        }
    }

    public func markFailed(run: Int, reason: String, at date: Date) throws -> Bool {
        let client = client, logger = logger
        return try Self.wait("markFailed") {
            let rows = try await client.query(
                "UPDATE training_runs SET status = 'failed', error = \(reason) WHERE id = \(run) AND status = 'running' RETURNING id",
                logger: logger)
            var marked = false
            for try await _ in rows.decode(Int.self) { marked = true }
            return marked
        }
    }

    // MARK: reads

    public func runs() throws -> [RecordedRun] {
        let client = client, logger = logger
        return try Self.wait("runs") {
            // One snapshot for the runs and their parts.
            try await client.withTransaction(logger: logger) { db in
                try await Self.read(db, logger: logger, only: nil)
            }
        }
    }

    public func run(id: Int) throws -> RecordedRun? {
        let client = client, logger = logger
        return try Self.wait("run") {
            try await client.withTransaction(logger: logger) { db in
                try await Self.read(db, logger: logger, only: id).first
            }
        }
    }

    public func points(run: Int) throws -> [RunMetricPoint] {
        let client = client, logger = logger
        return try Self.wait("points") {
            let rows = try await client.query(
                "SELECT step, epoch, name, value FROM training_run_metrics WHERE run_id = \(run) ORDER BY step, name", logger: logger)
            var out: [RunMetricPoint] = []
            for try await r in rows.decode((Int, Double, String, Double?).self) {
                out.append(RunMetricPoint(step: r.0, epoch: r.1, name: r.2, value: r.3 ?? .nan))
            }
            return out
        }
    }

    /// Every run (or the one with id `only`), newest first, with its parameters, data and artefacts.
    static func read(_ db: PostgresConnection, logger: Logger, only: Int?) async throws -> [RecordedRun] {
        let filter = only.map { "WHERE run_id = \($0)" } ?? ""
        var parameters: [Int: [String: String]] = [:]
        for try await r in try await db.query(
            PostgresQuery(unsafeSQL: "SELECT run_id, name, value FROM training_run_parameters \(filter)"), logger: logger
        ).decode((Int, String, String).self) {
            parameters[r.0, default: [:]][r.1] = r.2
        }
        var data: [Int: [RunDataHash]] = [:]
        for try await r in try await db.query(
            PostgresQuery(unsafeSQL: "SELECT run_id, role, path, sha256 FROM training_run_data \(filter) ORDER BY run_id, position"),
            logger: logger
        ).decode((Int, String, String, String).self) {
            data[r.0, default: []].append(RunDataHash(role: r.1, path: r.2, sha256: r.3))
        }
        var artefacts: [Int: [RunArtefact]] = [:]
        for try await r in try await db.query(
            PostgresQuery(unsafeSQL: "SELECT run_id, name, path FROM training_run_artefacts \(filter) ORDER BY run_id, position"),
            logger: logger
        ).decode((Int, String, String).self) {
            artefacts[r.0, default: []].append(RunArtefact(name: r.1, path: r.2))
        }
        let runFilter = only.map { "WHERE id = \($0)" } ?? ""
        let rows = try await db.query(
            PostgresQuery(
                unsafeSQL: """
                    SELECT id, kind, model, command, output, status, best_metric, started_at, updated_at, finished_at, steps,
                      best_value, best_step, final_metrics, error, host, boot_id, pid, start_ticks
                    FROM training_runs \(runFilter) ORDER BY id DESC
                    """), logger: logger)
        var out: [RecordedRun] = []
        for try await row in rows {
            let r = row.makeRandomAccess()
            let id = try r["id"].decode(Int.self)
            guard let status = RunStatus(rawValue: try r["status"].decode(String.self)) else {
                throw RunStoreError.corruptRow(run: id, field: "status")
            }
            let finalMetrics: [String: Double]
            do {
                finalMetrics = try JSONDecoder().decode([String: Double].self, from: Data(try r["final_metrics"].decode(String.self).utf8))
            } catch {
                throw RunStoreError.corruptRow(run: id, field: "final_metrics")
            }
            let process = RunProcess(
                host: try r["host"].decode(String.self), bootID: try r["boot_id"].decode(String.self),
                pid: Int32(truncatingIfNeeded: try r["pid"].decode(Int.self)),
                startTicks: try r["start_ticks"].decode(Int64?.self))
            let bestMetric = try r["best_metric"].decode(String?.self)
            let start = RunStart(
                kind: try r["kind"].decode(String.self), model: try r["model"].decode(String.self),
                command: try r["command"].decode(String.self), outputDirectory: try r["output"].decode(String?.self),
                parameters: parameters[id] ?? [:], dataHashes: data[id] ?? [], bestMetric: bestMetric, process: process,
                startedAt: Date(timeIntervalSince1970: try r["started_at"].decode(Double.self)))
            var best: RunBest?
            if let bestMetric, let value = try r["best_value"].decode(Double?.self), let step = try r["best_step"].decode(Int?.self) {
                best = RunBest(metric: bestMetric, value: value, step: step)
            }
            out.append(
                RecordedRun(
                    id: id, start: start, status: status, steps: try r["steps"].decode(Int.self),
                    updatedAt: Date(timeIntervalSince1970: try r["updated_at"].decode(Double.self)),
                    finishedAt: try r["finished_at"].decode(Double?.self).map(Date.init(timeIntervalSince1970:)), best: best,
                    finalMetrics: finalMetrics, artefacts: artefacts[id] ?? [], error: try r["error"].decode(String?.self)))
        }
        return out
    }
}

/// The result a detached task hands to the thread waiting for it.
private final class ResultBox<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var result: Result<T, any Error>?

    func set(_ r: Result<T, any Error>) { lock.withLock { result = r } }
    func get() throws -> T { try lock.withLock { result! }.get() }
}
