import FinchTrain
import Foundation
import GRDB

/// The run store in one SQLite file (`runs.sqlite` in the runs folder), in
/// WAL mode: each event is one small transaction appended to the log, so a
/// process killed mid-run (SIGKILL, the OOM killer) leaves every event it
/// committed, and readers (`finch runs`, the dashboard) never block the run.
/// `synchronous=NORMAL` is enough here: in WAL mode it loses nothing when a
/// process dies, only possibly the last events on a power cut.
public final class SQLiteRunStore: RunStore {
    /// The file name in a runs folder.
    public static let fileName = "runs.sqlite"

    let pool: DatabasePool
    /// The database file.
    public let path: String

    /// Opens (creating it when missing) `runs.sqlite` in `folder`.
    public convenience init(folder: URL) throws {
        try self.init(path: folder.appendingPathComponent(Self.fileName).path)
    }

    /// Opens (creating it when missing) the store at `path`.
    /// - Throws: `RunStoreError.cannotOpen`.
    public init(path: String) throws {
        self.path = path
        var config = Configuration()
        config.busyMode = .timeout(10)
        config.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = NORMAL") }
        do {
            try FileManager.default.createDirectory(
                at: URL(fileURLWithPath: path).deletingLastPathComponent(), withIntermediateDirectories: true)
            pool = try Self.openPool(path: path, configuration: config)
            // An immediate transaction takes the write lock before reading the version again, so two
            // processes opening a new store at once apply the schema once; a current store takes no lock.
            let current = try pool.read { db in try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0 }
            guard current < Self.schema.count else { return }
            try pool.barrierWriteWithoutTransaction { db in
                try db.inTransaction(.immediate) {
                    let version = try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0
                    guard version < Self.schema.count else { return .commit }
                    for statement in Self.schema[version...] { try db.execute(sql: statement) }
                    try db.execute(sql: "PRAGMA user_version = \(Self.schema.count)")
                    return .commit
                }
            }
        } catch {
            throw RunStoreError.cannotOpen(path: path, reason: "\(error)")
        }
    }

    /// Opens the pool, trying again for up to 10 s while the file is busy. Switching a new file to
    /// WAL takes an exclusive lock, and `PRAGMA journal_mode = WAL` answers SQLITE_BUSY at once,
    /// without the busy timeout's wait, when another process is doing the same: several `finch train`
    /// runs started together on one runs folder failed with "database is locked".
    static func openPool(path: String, configuration: Configuration) throws -> DatabasePool {
        let deadline = Date().addingTimeInterval(10)
        while true {
            do {
                return try DatabasePool(path: path, configuration: configuration)
            } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY && Date() < deadline {
                usleep(20_000 + UInt32.random(in: 0..<30_000))
            }
        }
    }

    /// The schema, one statement per version (`PRAGMA user_version` counts those applied).
    static let schema = [
        """
        CREATE TABLE runs (
            id INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL, model TEXT NOT NULL, command TEXT NOT NULL,
            output TEXT, status TEXT NOT NULL, best_metric TEXT, started_at REAL NOT NULL, updated_at REAL NOT NULL,
            finished_at REAL, steps INTEGER NOT NULL DEFAULT 0, best_value REAL, best_step INTEGER,
            final_metrics TEXT NOT NULL DEFAULT '{}', error TEXT,
            host TEXT NOT NULL, boot_id TEXT NOT NULL, pid INTEGER NOT NULL, start_ticks INTEGER)
        """,
        "CREATE TABLE run_parameters (run_id INTEGER NOT NULL REFERENCES runs(id), name TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (run_id, name))",
        """
        CREATE TABLE run_data (run_id INTEGER NOT NULL REFERENCES runs(id), position INTEGER NOT NULL, role TEXT NOT NULL,
            path TEXT NOT NULL, sha256 TEXT NOT NULL, PRIMARY KEY (run_id, position))
        """,
        """
        CREATE TABLE run_metrics (run_id INTEGER NOT NULL REFERENCES runs(id), name TEXT NOT NULL, step INTEGER NOT NULL,
            epoch REAL NOT NULL, value REAL, PRIMARY KEY (run_id, name, step))
        """,
        """
        CREATE TABLE run_artefacts (run_id INTEGER NOT NULL REFERENCES runs(id), position INTEGER NOT NULL, name TEXT NOT NULL,
            path TEXT NOT NULL, PRIMARY KEY (run_id, position))
        """,
    ]

    /// The journal mode in force (for tests).
    public func journalMode() throws -> String { try pool.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? "" } }

    /// Closes the file.
    public func close() throws { try pool.close() }

    public func begin(_ s: RunStart) throws -> Int {
        try pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO runs (kind, model, command, output, status, best_metric, started_at, updated_at, host, boot_id, pid, start_ticks)
                    VALUES (?, ?, ?, ?, 'running', ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    s.kind, s.model, s.command, s.outputDirectory, s.bestMetric, s.startedAt.timeIntervalSince1970,
                    s.startedAt.timeIntervalSince1970, s.process.host, s.process.bootID, Int(s.process.pid), s.process.startTicks,
                ])
            let id = Int(db.lastInsertedRowID)
            for (name, value) in s.parameters {
                try db.execute(sql: "INSERT INTO run_parameters (run_id, name, value) VALUES (?, ?, ?)", arguments: [id, name, value])
            }
            for (i, d) in s.dataHashes.enumerated() {
                try db.execute(
                    sql: "INSERT INTO run_data (run_id, position, role, path, sha256) VALUES (?, ?, ?, ?, ?)",
                    arguments: [id, i, d.role, d.path, d.sha256])
            }
            return id
        }
    }

    public func record(run: Int, points: [RunMetricPoint], best: RunBest?, at date: Date) throws {
        try pool.write { db in
            for p in points {
                try db.execute(
                    sql: "INSERT OR REPLACE INTO run_metrics (run_id, name, step, epoch, value) VALUES (?, ?, ?, ?, ?)",
                    arguments: [run, p.name, p.step, p.epoch, p.value])
            }
            try db.execute(
                sql: "UPDATE runs SET steps = MAX(steps, ?), updated_at = ? WHERE id = ?",
                arguments: [points.map(\.step).max() ?? 0, date.timeIntervalSince1970, run])
            guard db.changesCount == 1 else { throw RunStoreError.unknownRun(String(run)) }
            if let best {
                try db.execute(
                    sql: "UPDATE runs SET best_metric = ?, best_value = ?, best_step = ? WHERE id = ?",
                    arguments: [best.metric, best.value, best.step, run])
            }
        }
    }

    public func finish(run: Int, status: RunStatus, finalMetrics: [String: Double], artefacts: [RunArtefact], error: String?, at date: Date)
        throws
    {
        let metrics = String(decoding: try JSONEncoder.sorted.encode(finalMetrics.filter { $0.value.isFinite }), as: UTF8.self)
        try pool.write { db in
            let t = date.timeIntervalSince1970
            try db.execute(
                sql: "UPDATE runs SET status = ?, final_metrics = ?, error = ?, finished_at = ?, updated_at = ? WHERE id = ?",
                arguments: [status.rawValue, metrics, error, t, t, run])
            guard db.changesCount == 1 else { throw RunStoreError.unknownRun(String(run)) }
            try db.execute(sql: "DELETE FROM run_artefacts WHERE run_id = ?", arguments: [run])
            for (i, a) in artefacts.enumerated() {
                try db.execute(
                    sql: "INSERT INTO run_artefacts (run_id, position, name, path) VALUES (?, ?, ?, ?)",
                    arguments: [run, i, a.name, a.path])
            }
        }
    }

    public func markFailed(run: Int, reason: String, at date: Date) throws -> Bool {
        try pool.write { db in
            try db.execute(
                sql: "UPDATE runs SET status = 'failed', error = ? WHERE id = ? AND status = 'running'", arguments: [reason, run])
            return db.changesCount == 1
        }
    }

    public func runs() throws -> [RecordedRun] {
        try pool.read { db in try Row.fetchAll(db, sql: "SELECT * FROM runs ORDER BY id DESC").map { try Self.run($0, db) } }
    }

    public func run(id: Int) throws -> RecordedRun? {
        try pool.read { db in try Row.fetchOne(db, sql: "SELECT * FROM runs WHERE id = ?", arguments: [id]).map { try Self.run($0, db) } }
    }

    public func points(run: Int) throws -> [RunMetricPoint] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM run_metrics WHERE run_id = ? ORDER BY step, name", arguments: [run]).map {
                // SQLite stores NaN as NULL; a diverged loss reads back as NaN.
                RunMetricPoint(step: $0["step"], epoch: $0["epoch"], name: $0["name"], value: ($0["value"] as Double?) ?? .nan)
            }
        }
    }

    static func run(_ row: Row, _ db: Database) throws -> RecordedRun {
        let id: Int = row["id"]
        guard let status = RunStatus(rawValue: row["status"]) else { throw RunStoreError.corruptRow(run: id, field: "status") }
        let metricsText: String = row["final_metrics"]
        let finalMetrics: [String: Double]
        do { finalMetrics = try JSONDecoder().decode([String: Double].self, from: Data(metricsText.utf8)) } catch {
            throw RunStoreError.corruptRow(run: id, field: "final_metrics")
        }
        var parameters: [String: String] = [:]
        for p in try Row.fetchAll(db, sql: "SELECT name, value FROM run_parameters WHERE run_id = ?", arguments: [id]) {
            parameters[p["name"]] = p["value"]
        }
        let data = try Row.fetchAll(db, sql: "SELECT * FROM run_data WHERE run_id = ? ORDER BY position", arguments: [id]).map {
            RunDataHash(role: $0["role"], path: $0["path"], sha256: $0["sha256"])
        }
        let artefacts = try Row.fetchAll(db, sql: "SELECT * FROM run_artefacts WHERE run_id = ? ORDER BY position", arguments: [id]).map {
            RunArtefact(name: $0["name"], path: $0["path"])
        }
        let process = RunProcess(host: row["host"], bootID: row["boot_id"], pid: Int32(row["pid"] as Int), startTicks: row["start_ticks"])
        let start = RunStart(
            kind: row["kind"], model: row["model"], command: row["command"], outputDirectory: row["output"], parameters: parameters,
            dataHashes: data, bestMetric: row["best_metric"], process: process,
            startedAt: Date(timeIntervalSince1970: row["started_at"]))
        var best: RunBest?
        if let metric: String = row["best_metric"], let value: Double = row["best_value"], let step: Int = row["best_step"] {
            best = RunBest(metric: metric, value: value, step: step)
        }
        return RecordedRun(
            id: id, start: start, status: status, steps: row["steps"], updatedAt: Date(timeIntervalSince1970: row["updated_at"]),
            finishedAt: (row["finished_at"] as Double?).map(Date.init(timeIntervalSince1970:)), best: best,
            finalMetrics: finalMetrics, artefacts: artefacts, error: row["error"])
    }
}

extension JSONEncoder {
    /// Keys sorted, so stored JSON is the same for the same values.
    fileprivate static var sorted: JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        return e
    }
}
