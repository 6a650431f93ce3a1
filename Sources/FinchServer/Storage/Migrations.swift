/// The schema, as versioned migrations shared by SQLite and PostgreSQL.
/// Each migration is a list of statements written once with two type
/// placeholders: `{blob}` (BLOB / BYTEA) and `{real}` (REAL / DOUBLE
/// PRECISION), and `{serial}` for a generated integer key (INTEGER PRIMARY
/// KEY AUTOINCREMENT / BIGSERIAL PRIMARY KEY). Applied in order inside one transaction each, and recorded in
/// `schema_migrations`; a database is never changed by an edit to a past
/// migration — add a new one.
enum Migrations {
    enum Dialect {
        case sqlite, postgres
    }

    static let all: [(version: Int, name: String, statements: [String])] = [
        (
            1, "keys, models, collections",
            [
                """
                CREATE TABLE api_keys (id TEXT PRIMARY KEY, name TEXT NOT NULL, scope TEXT NOT NULL, salt TEXT NOT NULL,
                  hash TEXT NOT NULL, created_at {real} NOT NULL, revoked_at {real})
                """,
                """
                CREATE TABLE model_versions (name TEXT NOT NULL, version INTEGER NOT NULL, kind TEXT NOT NULL, path TEXT NOT NULL,
                  active INTEGER NOT NULL, created_at {real} NOT NULL, PRIMARY KEY (name, version))
                """,
                "CREATE TABLE collections (name TEXT PRIMARY KEY, model TEXT NOT NULL, created_at {real} NOT NULL)",
                """
                CREATE TABLE collection_entries (collection TEXT NOT NULL, id TEXT NOT NULL, position BIGINT NOT NULL, text TEXT NOT NULL,
                  vector {blob} NOT NULL, PRIMARY KEY (collection, id))
                """,
                "CREATE INDEX collection_entries_order ON collection_entries (collection, position)",
                "CREATE TABLE change_stamp (id INTEGER PRIMARY KEY, stamp BIGINT NOT NULL)",
                "INSERT INTO change_stamp (id, stamp) VALUES (1, 0)",
            ]
        ),
        (2, "assistant collections, entries, asks", AssistantTables.statements),
        (
            3, "feedback",
            [
                """
                CREATE TABLE feedback (id TEXT PRIMARY KEY, seq BIGINT NOT NULL, kind TEXT NOT NULL, model TEXT, collection TEXT,
                  input TEXT, label TEXT, entities TEXT, entry TEXT, user_id TEXT, key_id TEXT NOT NULL, created_at {real} NOT NULL)
                """,
                "CREATE INDEX feedback_model ON feedback (model, seq)",
                "CREATE INDEX feedback_collection ON feedback (collection, seq)",
                "CREATE INDEX feedback_user ON feedback (user_id)",
            ]
        ),
        (
            4, "privacy: audit trail, consent, erasure tombstones",
            [
                """
                CREATE TABLE audit_trail (sequence BIGINT PRIMARY KEY, recorded_at TEXT NOT NULL, actor TEXT NOT NULL,
                  action TEXT NOT NULL, subject TEXT NOT NULL, details TEXT NOT NULL, previous_hash TEXT NOT NULL, hash TEXT NOT NULL)
                """,
                """
                CREATE TABLE user_consent (user_id TEXT PRIMARY KEY, personalization INTEGER NOT NULL,
                  store_texts_for_training INTEGER NOT NULL, updated_at {real} NOT NULL)
                """,
                "CREATE TABLE erasure_tombstones (user_hash TEXT PRIMARY KEY, erased_at {real} NOT NULL)",
                "CREATE TABLE privacy_secrets (name TEXT PRIMARY KEY, value TEXT NOT NULL)",
            ]
        ),
        (5, "recommendation items, users, events", RecommendSchema.statements),
        (6, "monitors: documents, buckets, rules, alerts, detector states, webhooks", MonitorSchema.statements),
        (7, "training runs: parameters, data hashes, metric points, artefacts", TrainingRunSchema.statements),
    ]

    static let createTable = "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL)"

    /// `statement` with the dialect's types.
    static func sql(_ statement: String, _ dialect: Dialect) -> String {
        switch dialect {
        case .sqlite:
            statement.replacingOccurrences(of: "{blob}", with: "BLOB").replacingOccurrences(of: "{real}", with: "REAL")
                .replacingOccurrences(of: "{serial}", with: "INTEGER PRIMARY KEY AUTOINCREMENT")
        case .postgres:
            statement.replacingOccurrences(of: "{blob}", with: "BYTEA").replacingOccurrences(of: "{real}", with: "DOUBLE PRECISION")
                .replacingOccurrences(of: "{serial}", with: "BIGSERIAL PRIMARY KEY")
        }
    }
}

/// The store could not be opened or used.
public enum StoreError: Error, Equatable, CustomStringConvertible {
    /// `path`/URL could not be opened.
    case cannotOpen(location: String, reason: String)
    /// A `postgres://` URL that cannot be read (`field` names the part).
    case invalidURL(field: String, reason: String)
    /// A stored row that does not decode (`field` names the column).
    case corruptRow(table: String, field: String)

    public var description: String {
        switch self {
        case .cannotOpen(let location, let reason): "cannot open the database \(location): \(reason)"
        case .invalidURL(let field, let reason): "database URL, \(field): \(reason)"
        case .corruptRow(let table, let field): "table \(table): column \(field) holds a value Finch cannot read"
        }
    }
}
