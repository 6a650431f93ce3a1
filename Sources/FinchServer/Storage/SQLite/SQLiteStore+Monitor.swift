import FinchApps
import Foundation
import GRDB

extension SQLiteStore: MonitorRepository {
    public var monitors: any MonitorRepository { self }

    public func putMonitor(_ config: MonitorConfig) async throws {
        let json = try MonitorColumns.json(config)
        try await pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO monitors (name, config, updated_at) VALUES (?, ?, ?)
                    ON CONFLICT (name) DO UPDATE SET config = excluded.config, updated_at = excluded.updated_at
                    """,
                arguments: [config.name, json, Date().timeIntervalSince1970])
        }
    }

    public func monitor(name: String) async throws -> MonitorConfig? {
        let text = try await pool.read { db in try String.fetchOne(db, sql: "SELECT config FROM monitors WHERE name = ?", arguments: [name])
        }
        return try text.map { try MonitorColumns.decode(MonitorConfig.self, $0, table: "monitors", field: "config") }
    }

    public func allMonitors() async throws -> [MonitorConfig] {
        let texts = try await pool.read { db in try String.fetchAll(db, sql: "SELECT config FROM monitors ORDER BY name") }
        return try texts.map { try MonitorColumns.decode(MonitorConfig.self, $0, table: "monitors", field: "config") }
    }

    public func deleteMonitor(name: String) async throws -> Bool {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM monitors WHERE name = ?", arguments: [name])
            guard db.changesCount > 0 else { return false }
            for table in [
                "monitor_documents", "monitor_document_entities", "monitor_buckets", "monitor_rules", "monitor_alerts",
                "monitor_detector_states",
            ] {
                try db.execute(sql: "DELETE FROM \(table) WHERE monitor = ?", arguments: [name])
            }
            try db.execute(
                sql: "DELETE FROM monitor_webhook_attempts WHERE webhook IN (SELECT id FROM monitor_webhooks WHERE monitor = ?)",
                arguments: [name])
            try db.execute(sql: "DELETE FROM monitor_webhooks WHERE monitor = ?", arguments: [name])
            return true
        }
    }

    public func insertDocuments(_ documents: [ScoredDocument], monitor: String, width: BucketWidth) async throws -> [Bool] {
        let bodies = try documents.map { try MonitorColumns.json($0) }
        return try await pool.write { db in
            var isNew: [Bool] = []
            var inserted: [ScoredDocument] = []
            for (d, body) in zip(documents, bodies) {
                try db.execute(
                    sql: """
                        INSERT INTO monitor_documents (monitor, id, time, polarity, topic, body) VALUES (?, ?, ?, ?, ?, ?)
                        ON CONFLICT (monitor, id) DO NOTHING
                        """,
                    arguments: [monitor, d.id, d.time.timeIntervalSince1970, d.polarity.rawValue, d.topic, body])
                let new = db.changesCount > 0
                isNew.append(new)
                guard new else { continue }
                inserted.append(d)
                for entity in d.entities {
                    try db.execute(
                        sql: "INSERT INTO monitor_document_entities (monitor, entity, id, time) VALUES (?, ?, ?, ?)",
                        arguments: [monitor, entity, d.id, d.time.timeIntervalSince1970])
                }
            }
            for b in MonitorAggregation.deltas(for: inserted, width: width) {
                try db.execute(
                    sql: """
                        INSERT INTO monitor_buckets (monitor, kind, name, start, count, negative, neutral, positive, score_sum)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                        ON CONFLICT (monitor, kind, name, start) DO UPDATE SET count = monitor_buckets.count + excluded.count,
                          negative = monitor_buckets.negative + excluded.negative, neutral = monitor_buckets.neutral + excluded.neutral,
                          positive = monitor_buckets.positive + excluded.positive, score_sum = monitor_buckets.score_sum + excluded.score_sum
                        """,
                    arguments: [
                        monitor, b.key.kind.rawValue, b.key.name, b.key.start.timeIntervalSince1970, b.count, b.negative, b.neutral,
                        b.positive, b.scoreSum,
                    ])
            }
            return isNew
        }
    }

    public func documents(_ query: MonitorDocumentQuery, monitor: String) async throws -> [ScoredDocument] {
        var sql = "SELECT d.body FROM monitor_documents d"
        var filter = SQLFilter("d.monitor = ?", monitor)
        if let entity = query.entity {
            sql += " JOIN monitor_document_entities e ON e.monitor = d.monitor AND e.id = d.id"
            filter.add("e.entity = ?", entity)
        }
        filter.add("d.topic = ?", query.topic)
        filter.add("d.time >= ?", query.from?.timeIntervalSince1970)
        filter.add("d.time < ?", query.to?.timeIntervalSince1970)
        filter.add("d.polarity = ?", query.sentiment?.rawValue)
        if let ids = query.ids {
            if ids.isEmpty { return [] }
            filter.add("d.id IN (" + ids.map { _ in "?" }.joined(separator: ", ") + ")", values: ids)
        }
        let (statement, values) = filter.statement(sql, orderBy: "d.time DESC, d.id ASC", limit: query.limit)
        let bodies = try await pool.read { db in try String.fetchAll(db, sql: statement, arguments: values) }
        return try bodies.map { try MonitorColumns.decode(ScoredDocument.self, $0, table: "monitor_documents", field: "body") }
    }

    public func buckets(_ query: BucketQuery, monitor: String) async throws -> [BucketAggregate] {
        var filter = SQLFilter("monitor = ?", monitor)
        filter.add("kind = ?", query.kind.rawValue)
        filter.add("name = ?", query.name)
        filter.add("start >= ?", query.from?.timeIntervalSince1970)
        filter.add("start < ?", query.to?.timeIntervalSince1970)
        let (statement, values) = filter.statement("SELECT * FROM monitor_buckets", orderBy: "name, start")
        return try await pool.read { db in
            try Row.fetchAll(db, sql: statement, arguments: values).map { row in
                try MonitorColumns.bucket(
                    kind: row["kind"], name: row["name"], start: row["start"], count: row["count"], negative: row["negative"],
                    neutral: row["neutral"], positive: row["positive"], scoreSum: row["score_sum"])
            }
        }
    }

    public func putRule(_ rule: AlertRule, monitor: String) async throws {
        let json = try MonitorColumns.json(rule)
        try await pool.write { db in
            try db.execute(
                sql:
                    "INSERT INTO monitor_rules (monitor, name, rule) VALUES (?, ?, ?) ON CONFLICT (monitor, name) DO UPDATE SET rule = excluded.rule",
                arguments: [monitor, rule.name, json])
        }
    }

    public func rules(monitor: String) async throws -> [AlertRule] {
        let texts = try await pool.read { db in
            try String.fetchAll(db, sql: "SELECT rule FROM monitor_rules WHERE monitor = ? ORDER BY name", arguments: [monitor])
        }
        return try texts.map { try MonitorColumns.decode(AlertRule.self, $0, table: "monitor_rules", field: "rule") }
    }

    public func deleteRule(name: String, monitor: String) async throws -> Bool {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM monitor_rules WHERE monitor = ? AND name = ?", arguments: [monitor, name])
            guard db.changesCount > 0 else { return false }
            try db.execute(sql: "DELETE FROM monitor_detector_states WHERE monitor = ? AND rule = ?", arguments: [monitor, name])
            return true
        }
    }

    public func insertAlert(_ alert: Alert) async throws -> Bool {
        let json = try MonitorColumns.json(alert)
        return try await pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO monitor_alerts (monitor, id, rule, entity, bucket_start, state, body) VALUES (?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (monitor, id) DO NOTHING
                    """,
                arguments: [
                    alert.monitor, alert.id, alert.rule, alert.entity, alert.bucketStart.timeIntervalSince1970, alert.state.rawValue, json,
                ])
            return db.changesCount > 0
        }
    }

    public func closeAlert(id: String, monitor: String, bucket: Date) async throws -> Bool {
        try await pool.write { db in
            guard
                let body = try String.fetchOne(
                    db, sql: "SELECT body FROM monitor_alerts WHERE monitor = ? AND id = ? AND state = 'open'", arguments: [monitor, id])
            else { return false }
            var alert = try MonitorColumns.decode(Alert.self, body, table: "monitor_alerts", field: "body")
            alert.state = .closed
            alert.closedBucket = bucket
            try db.execute(
                sql: "UPDATE monitor_alerts SET state = 'closed', body = ? WHERE monitor = ? AND id = ?",
                arguments: [try MonitorColumns.json(alert), monitor, id])
            return true
        }
    }

    public func alerts(_ query: AlertQuery, monitor: String) async throws -> [Alert] {
        var filter = SQLFilter("monitor = ?", monitor)
        filter.add("state = ?", query.state?.rawValue)
        filter.add("rule = ?", query.rule)
        filter.add("entity = ?", query.entity)
        filter.add("bucket_start >= ?", query.from?.timeIntervalSince1970)
        filter.add("bucket_start < ?", query.to?.timeIntervalSince1970)
        let (statement, values) = filter.statement(
            "SELECT body FROM monitor_alerts", orderBy: "bucket_start DESC, id ASC", limit: query.limit)
        let bodies = try await pool.read { db in try String.fetchAll(db, sql: statement, arguments: values) }
        return try bodies.map { try MonitorColumns.decode(Alert.self, $0, table: "monitor_alerts", field: "body") }
    }

    public func detectorState(_ key: DetectorKey) async throws -> DetectorState? {
        let text = try await pool.read { db in
            try String.fetchOne(
                db, sql: "SELECT state FROM monitor_detector_states WHERE monitor = ? AND rule = ? AND entity = ?",
                arguments: [key.monitor, key.rule, key.entity])
        }
        return try text.map { try MonitorColumns.decode(DetectorState.self, $0, table: "monitor_detector_states", field: "state") }
    }

    public func putDetectorState(_ state: DetectorState, key: DetectorKey) async throws {
        let json = try MonitorColumns.json(state)
        try await pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO monitor_detector_states (monitor, rule, entity, state) VALUES (?, ?, ?, ?)
                    ON CONFLICT (monitor, rule, entity) DO UPDATE SET state = excluded.state
                    """,
                arguments: [key.monitor, key.rule, key.entity, json])
        }
    }
}

/// The WHERE clause of a query with optional filters: a condition is added only when its value
/// is given, and its value becomes the statement's argument in the same order.
private struct SQLFilter {
    private var conditions: [String] = []
    private var arguments: [(any DatabaseValueConvertible)?] = []

    init(_ condition: String, _ value: some DatabaseValueConvertible) { add(condition, value) }

    /// Adds `condition` (one `?`) when `value` is not nil.
    mutating func add(_ condition: String, _ value: (some DatabaseValueConvertible)?) {
        guard let value else { return }
        conditions.append(condition)
        arguments.append(value)
    }

    /// Adds `condition` with one `?` per value.
    mutating func add(_ condition: String, values: [some DatabaseValueConvertible]) {
        conditions.append(condition)
        arguments += values.map { $0 as (any DatabaseValueConvertible)? }
    }

    /// `select` WHERE … ORDER BY `orderBy` [LIMIT max(limit, 0)], and its arguments.
    func statement(_ select: String, orderBy: String, limit: Int? = nil) -> (String, StatementArguments) {
        var sql = select + " WHERE " + conditions.joined(separator: " AND ") + " ORDER BY " + orderBy
        var values = arguments
        if let limit {
            sql += " LIMIT ?"
            values.append(Swift.max(limit, 0))
        }
        return (sql, StatementArguments(values))
    }
}
