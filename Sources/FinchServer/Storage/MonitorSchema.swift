/// Migration 6: the sentiment monitor's tables (issue 14). Documents, rules,
/// alerts and detector states keep their full JSON in one text column (the
/// type's own encoding, so fields may grow without a migration) beside the
/// columns that queries filter on; bucket counts are plain columns so that a
/// late document adds to its bucket with one upsert.
enum MonitorSchema {
    static let statements = [
        "CREATE TABLE monitors (name TEXT PRIMARY KEY, config TEXT NOT NULL, updated_at {real} NOT NULL)",
        """
        CREATE TABLE monitor_documents (monitor TEXT NOT NULL, id TEXT NOT NULL, time {real} NOT NULL, polarity TEXT NOT NULL,
          topic TEXT, body TEXT NOT NULL, PRIMARY KEY (monitor, id))
        """,
        "CREATE INDEX monitor_documents_time ON monitor_documents (monitor, time)",
        """
        CREATE TABLE monitor_document_entities (monitor TEXT NOT NULL, entity TEXT NOT NULL, id TEXT NOT NULL, time {real} NOT NULL,
          PRIMARY KEY (monitor, entity, id))
        """,
        "CREATE INDEX monitor_document_entities_time ON monitor_document_entities (monitor, entity, time)",
        """
        CREATE TABLE monitor_buckets (monitor TEXT NOT NULL, kind TEXT NOT NULL, name TEXT NOT NULL, start {real} NOT NULL,
          count BIGINT NOT NULL, negative BIGINT NOT NULL, neutral BIGINT NOT NULL, positive BIGINT NOT NULL,
          score_sum {real} NOT NULL, PRIMARY KEY (monitor, kind, name, start))
        """,
        "CREATE TABLE monitor_rules (monitor TEXT NOT NULL, name TEXT NOT NULL, rule TEXT NOT NULL, PRIMARY KEY (monitor, name))",
        """
        CREATE TABLE monitor_alerts (monitor TEXT NOT NULL, id TEXT NOT NULL, rule TEXT NOT NULL, entity TEXT NOT NULL,
          bucket_start {real} NOT NULL, state TEXT NOT NULL, body TEXT NOT NULL, PRIMARY KEY (monitor, id))
        """,
        "CREATE INDEX monitor_alerts_bucket ON monitor_alerts (monitor, bucket_start)",
        """
        CREATE TABLE monitor_detector_states (monitor TEXT NOT NULL, rule TEXT NOT NULL, entity TEXT NOT NULL, state TEXT NOT NULL,
          PRIMARY KEY (monitor, rule, entity))
        """,
        """
        CREATE TABLE monitor_webhooks (id TEXT PRIMARY KEY, monitor TEXT NOT NULL, url TEXT NOT NULL, secret TEXT NOT NULL,
          created_at {real} NOT NULL)
        """,
        "CREATE INDEX monitor_webhooks_monitor ON monitor_webhooks (monitor, created_at)",
        """
        CREATE TABLE monitor_webhook_attempts (seq BIGINT PRIMARY KEY, webhook TEXT NOT NULL, delivery TEXT NOT NULL,
          event TEXT NOT NULL, attempt BIGINT NOT NULL, outcome TEXT NOT NULL, status_code BIGINT, error TEXT, at {real} NOT NULL)
        """,
        "CREATE INDEX monitor_webhook_attempts_webhook ON monitor_webhook_attempts (webhook, seq)",
    ]
}
