/// Migration 2: the support assistant's tables. A collection row holds its
/// settings and fitted confidence model as JSON; an entry row its FAQ entry as
/// JSON and the unit vectors of its texts as one blob; an ask row one question
/// of a session (a hand-off until `resolved_at` is set). Change stamp row 2
/// moves with every collection or entry change, so other instances reload.
enum AssistantTables {
    static let statements = [
        """
        CREATE TABLE assistant_collections (name TEXT PRIMARY KEY, model TEXT NOT NULL, prefix TEXT NOT NULL,
          dimension INTEGER NOT NULL, settings TEXT NOT NULL, calibration TEXT NOT NULL, created_at {real} NOT NULL)
        """,
        """
        CREATE TABLE assistant_entries (collection TEXT NOT NULL, id TEXT NOT NULL, position BIGINT NOT NULL, entry TEXT NOT NULL,
          vectors {blob} NOT NULL, PRIMARY KEY (collection, id))
        """,
        "CREATE INDEX assistant_entries_order ON assistant_entries (collection, position)",
        """
        CREATE TABLE assistant_asks (id TEXT PRIMARY KEY, collection TEXT NOT NULL, session TEXT NOT NULL, user_id TEXT,
          query TEXT, entry TEXT, shown TEXT NOT NULL, confidence {real} NOT NULL, handoff INTEGER NOT NULL, reason TEXT,
          latency_ms {real} NOT NULL, created_at {real} NOT NULL, resolution TEXT, resolved_at {real})
        """,
        "CREATE INDEX assistant_asks_session ON assistant_asks (collection, session, created_at)",
        "CREATE INDEX assistant_asks_open ON assistant_asks (collection, handoff, resolved_at)",
        "CREATE INDEX assistant_asks_user ON assistant_asks (user_id)",
        "INSERT INTO change_stamp (id, stamp) VALUES (2, 0)",
    ]
}
