import FinchApps
import Foundation
import PostgresNIO

extension PostgresStore: MonitorRepository {
    public var monitors: any MonitorRepository { self }

    private var monitorLogger: Logger { Logger(label: "finch.postgres.monitor") }

    /// A query whose filters are added one by one: `bind` returns the value's placeholder.
    struct FilteredQuery {
        var sql: String
        var binds = PostgresBindings()

        mutating func bind(_ value: some PostgresThrowingDynamicTypeEncodable) throws -> String {
            try binds.append(value)
            return "$\(binds.count)"
        }

        var query: PostgresQuery { PostgresQuery(unsafeSQL: sql, binds: binds) }
    }

    public func putMonitor(_ config: MonitorConfig) async throws {
        let json = try MonitorColumns.json(config)
        try await client.query(
            """
            INSERT INTO monitors (name, config, updated_at) VALUES (\(config.name), \(json), \(Date().timeIntervalSince1970))
            ON CONFLICT (name) DO UPDATE SET config = excluded.config, updated_at = excluded.updated_at
            """, logger: monitorLogger)
    }

    public func monitor(name: String) async throws -> MonitorConfig? {
        let rows = try await client.query("SELECT config FROM monitors WHERE name = \(name)", logger: monitorLogger)
        for try await text in rows.decode(String.self) {
            return try MonitorColumns.decode(MonitorConfig.self, text, table: "monitors", field: "config")
        }
        return nil
    }

    public func allMonitors() async throws -> [MonitorConfig] {
        let rows = try await client.query("SELECT config FROM monitors ORDER BY name", logger: monitorLogger)
        var out: [MonitorConfig] = []
        for try await text in rows.decode(String.self) {
            out.append(try MonitorColumns.decode(MonitorConfig.self, text, table: "monitors", field: "config"))
        }
        return out
    }

    public func deleteMonitor(name: String) async throws -> Bool {
        let logger = monitorLogger
        return try await client.withTransaction(logger: logger) { db in
            var found = false
            for try await _ in try await db.query("DELETE FROM monitors WHERE name = \(name) RETURNING name", logger: logger)
                .decode(String.self)
            {
                found = true
            }
            guard found else { return false }
            for table in [
                "monitor_documents", "monitor_document_entities", "monitor_buckets", "monitor_rules", "monitor_alerts",
                "monitor_detector_states",
            ] {
                try await db.query("DELETE FROM \(unescaped: table) WHERE monitor = \(name)", logger: logger)
            }
            try await db.query(
                "DELETE FROM monitor_webhook_attempts WHERE webhook IN (SELECT id FROM monitor_webhooks WHERE monitor = \(name))",
                logger: logger)
            try await db.query("DELETE FROM monitor_webhooks WHERE monitor = \(name)", logger: logger)
            return true
        }
    }

    public func insertDocuments(_ documents: [ScoredDocument], monitor: String, width: BucketWidth) async throws -> [Bool] {
        let bodies = try documents.map { try MonitorColumns.json($0) }
        let logger = monitorLogger
        return try await client.withTransaction(logger: logger) { db in
            var isNew: [Bool] = []
            var inserted: [ScoredDocument] = []
            for (d, body) in zip(documents, bodies) {
                let rows = try await db.query(
                    """
                    INSERT INTO monitor_documents (monitor, id, time, polarity, topic, body)
                    VALUES (\(monitor), \(d.id), \(d.time.timeIntervalSince1970), \(d.polarity.rawValue), \(d.topic), \(body))
                    ON CONFLICT (monitor, id) DO NOTHING RETURNING id
                    """, logger: logger)
                var new = false
                for try await _ in rows.decode(String.self) { new = true }
                isNew.append(new)
                guard new else { continue }
                inserted.append(d)
                for entity in d.entities {
                    try await db.query(
                        """
                        INSERT INTO monitor_document_entities (monitor, entity, id, time)
                        VALUES (\(monitor), \(entity), \(d.id), \(d.time.timeIntervalSince1970))
                        """, logger: logger)
                }
            }
            for b in MonitorAggregation.deltas(for: inserted, width: width) {
                try await db.query(
                    """
                    INSERT INTO monitor_buckets (monitor, kind, name, start, count, negative, neutral, positive, score_sum)
                    VALUES (\(monitor), \(b.key.kind.rawValue), \(b.key.name), \(b.key.start.timeIntervalSince1970), \(b.count),
                            \(b.negative), \(b.neutral), \(b.positive), \(b.scoreSum))
                    ON CONFLICT (monitor, kind, name, start) DO UPDATE SET count = monitor_buckets.count + excluded.count,
                      negative = monitor_buckets.negative + excluded.negative, neutral = monitor_buckets.neutral + excluded.neutral,
                      positive = monitor_buckets.positive + excluded.positive, score_sum = monitor_buckets.score_sum + excluded.score_sum
                    """, logger: logger)
            }
            return isNew
        }
    }

    public func documents(_ query: MonitorDocumentQuery, monitor: String) async throws -> [ScoredDocument] {
        var q = FilteredQuery(sql: "SELECT d.body FROM monitor_documents d")
        var conditions: [String] = []
        if let entity = query.entity {
            q.sql += " JOIN monitor_document_entities e ON e.monitor = d.monitor AND e.id = d.id AND e.entity = \(try q.bind(entity))"
        }
        conditions.append("d.monitor = \(try q.bind(monitor))")
        if let topic = query.topic { conditions.append("d.topic = \(try q.bind(topic))") }
        if let from = query.from { conditions.append("d.time >= \(try q.bind(from.timeIntervalSince1970))") }
        if let to = query.to { conditions.append("d.time < \(try q.bind(to.timeIntervalSince1970))") }
        if let sentiment = query.sentiment { conditions.append("d.polarity = \(try q.bind(sentiment.rawValue))") }
        if let ids = query.ids {
            if ids.isEmpty { return [] }
            conditions.append("d.id IN (" + (try ids.map { try q.bind($0) }).joined(separator: ", ") + ")")
        }
        q.sql += " WHERE " + conditions.joined(separator: " AND ") + " ORDER BY d.time DESC, d.id ASC"
        if let limit = query.limit { q.sql += " LIMIT \(try q.bind(Swift.max(limit, 0)))" }
        var out: [ScoredDocument] = []
        for try await body in try await client.query(q.query, logger: monitorLogger).decode(String.self) {
            out.append(try MonitorColumns.decode(ScoredDocument.self, body, table: "monitor_documents", field: "body"))
        }
        return out
    }

    public func buckets(_ query: BucketQuery, monitor: String) async throws -> [BucketAggregate] {
        var q = FilteredQuery(sql: "SELECT kind, name, start, count, negative, neutral, positive, score_sum FROM monitor_buckets")
        var conditions = ["monitor = \(try q.bind(monitor))", "kind = \(try q.bind(query.kind.rawValue))"]
        if let name = query.name { conditions.append("name = \(try q.bind(name))") }
        if let from = query.from { conditions.append("start >= \(try q.bind(from.timeIntervalSince1970))") }
        if let to = query.to { conditions.append("start < \(try q.bind(to.timeIntervalSince1970))") }
        q.sql += " WHERE " + conditions.joined(separator: " AND ") + " ORDER BY name, start"
        var out: [BucketAggregate] = []
        let rows = try await client.query(q.query, logger: monitorLogger)
        for try await r in rows.decode((String, String, Double, Int, Int, Int, Int, Double).self) {
            out.append(
                try MonitorColumns.bucket(
                    kind: r.0, name: r.1, start: r.2, count: r.3, negative: r.4, neutral: r.5, positive: r.6, scoreSum: r.7))
        }
        return out
    }

    public func putRule(_ rule: AlertRule, monitor: String) async throws {
        let json = try MonitorColumns.json(rule)
        try await client.query(
            """
            INSERT INTO monitor_rules (monitor, name, rule) VALUES (\(monitor), \(rule.name), \(json))
            ON CONFLICT (monitor, name) DO UPDATE SET rule = excluded.rule
            """, logger: monitorLogger)
    }

    public func rules(monitor: String) async throws -> [AlertRule] {
        let rows = try await client.query("SELECT rule FROM monitor_rules WHERE monitor = \(monitor) ORDER BY name", logger: monitorLogger)
        var out: [AlertRule] = []
        for try await text in rows.decode(String.self) {
            out.append(try MonitorColumns.decode(AlertRule.self, text, table: "monitor_rules", field: "rule"))
        }
        return out
    }

    public func deleteRule(name: String, monitor: String) async throws -> Bool {
        let logger = monitorLogger
        return try await client.withTransaction(logger: logger) { db in
            var found = false
            let rows = try await db.query(
                "DELETE FROM monitor_rules WHERE monitor = \(monitor) AND name = \(name) RETURNING name", logger: logger)
            for try await _ in rows.decode(String.self) { found = true }
            guard found else { return false }
            try await db.query("DELETE FROM monitor_detector_states WHERE monitor = \(monitor) AND rule = \(name)", logger: logger)
            return true
        }
    }

    public func insertAlert(_ alert: Alert) async throws -> Bool {
        let json = try MonitorColumns.json(alert)
        let rows = try await client.query(
            """
            INSERT INTO monitor_alerts (monitor, id, rule, entity, bucket_start, state, body)
            VALUES (\(alert.monitor), \(alert.id), \(alert.rule), \(alert.entity), \(alert.bucketStart.timeIntervalSince1970),
                    \(alert.state.rawValue), \(json))
            ON CONFLICT (monitor, id) DO NOTHING RETURNING id
            """, logger: monitorLogger)
        for try await _ in rows.decode(String.self) { return true }
        return false
    }

    public func closeAlert(id: String, monitor: String, bucket: Date) async throws -> Bool {
        let logger = monitorLogger
        return try await client.withTransaction(logger: logger) { db in
            let rows = try await db.query(
                "SELECT body FROM monitor_alerts WHERE monitor = \(monitor) AND id = \(id) AND state = 'open' FOR UPDATE", logger: logger)
            var body: String?
            for try await text in rows.decode(String.self) { body = text }
            guard let body else { return false }
            var alert = try MonitorColumns.decode(Alert.self, body, table: "monitor_alerts", field: "body")
            alert.state = .closed
            alert.closedBucket = bucket
            let json = try MonitorColumns.json(alert)
            try await db.query(
                "UPDATE monitor_alerts SET state = 'closed', body = \(json) WHERE monitor = \(monitor) AND id = \(id)", logger: logger)
            return true
        }
    }

    public func alerts(_ query: AlertQuery, monitor: String) async throws -> [Alert] {
        var q = FilteredQuery(sql: "SELECT body FROM monitor_alerts")
        var conditions = ["monitor = \(try q.bind(monitor))"]
        if let state = query.state { conditions.append("state = \(try q.bind(state.rawValue))") }
        if let rule = query.rule { conditions.append("rule = \(try q.bind(rule))") }
        if let entity = query.entity { conditions.append("entity = \(try q.bind(entity))") }
        if let from = query.from { conditions.append("bucket_start >= \(try q.bind(from.timeIntervalSince1970))") }
        if let to = query.to { conditions.append("bucket_start < \(try q.bind(to.timeIntervalSince1970))") }
        q.sql += " WHERE " + conditions.joined(separator: " AND ") + " ORDER BY bucket_start DESC, id ASC"
        if let limit = query.limit { q.sql += " LIMIT \(try q.bind(Swift.max(limit, 0)))" }
        var out: [Alert] = []
        for try await body in try await client.query(q.query, logger: monitorLogger).decode(String.self) {
            out.append(try MonitorColumns.decode(Alert.self, body, table: "monitor_alerts", field: "body"))
        }
        return out
    }

    public func detectorState(_ key: DetectorKey) async throws -> DetectorState? {
        let rows = try await client.query(
            """
            SELECT state FROM monitor_detector_states
            WHERE monitor = \(key.monitor) AND rule = \(key.rule) AND entity = \(key.entity)
            """, logger: monitorLogger)
        for try await text in rows.decode(String.self) {
            return try MonitorColumns.decode(DetectorState.self, text, table: "monitor_detector_states", field: "state")
        }
        return nil
    }

    public func putDetectorState(_ state: DetectorState, key: DetectorKey) async throws {
        let json = try MonitorColumns.json(state)
        try await client.query(
            """
            INSERT INTO monitor_detector_states (monitor, rule, entity, state) VALUES (\(key.monitor), \(key.rule), \(key.entity), \(json))
            ON CONFLICT (monitor, rule, entity) DO UPDATE SET state = excluded.state
            """, logger: monitorLogger)
    }
}
