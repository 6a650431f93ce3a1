/// Migration 7: the run store's tables in the service's database (`PostgresRunStore`), so every
/// instance on one PostgreSQL database sees every training run. The same columns as `runs.sqlite`
/// (`SQLiteRunStore.schema`), prefixed `training_` beside the service's other tables. A SQLite
/// service database gets them too (migrations are shared) and leaves them empty: on SQLite the runs
/// stay in `runs.sqlite` in the runs folder.
enum TrainingRunSchema {
    static let statements = [
        """
        CREATE TABLE training_runs (
          id {serial}, kind TEXT NOT NULL, model TEXT NOT NULL, command TEXT NOT NULL, output TEXT, status TEXT NOT NULL,
          best_metric TEXT, started_at {real} NOT NULL, updated_at {real} NOT NULL, finished_at {real}, steps BIGINT NOT NULL DEFAULT 0,
          best_value {real}, best_step BIGINT, final_metrics TEXT NOT NULL DEFAULT '{}', error TEXT,
          host TEXT NOT NULL, boot_id TEXT NOT NULL, pid BIGINT NOT NULL, start_ticks BIGINT)
        """,
        """
        CREATE TABLE training_run_parameters (run_id BIGINT NOT NULL REFERENCES training_runs(id), name TEXT NOT NULL,
          value TEXT NOT NULL, PRIMARY KEY (run_id, name))
        """,
        """
        CREATE TABLE training_run_data (run_id BIGINT NOT NULL REFERENCES training_runs(id), position BIGINT NOT NULL,
          role TEXT NOT NULL, path TEXT NOT NULL, sha256 TEXT NOT NULL, PRIMARY KEY (run_id, position))
        """,
        """
        CREATE TABLE training_run_metrics (run_id BIGINT NOT NULL REFERENCES training_runs(id), name TEXT NOT NULL,
          step BIGINT NOT NULL, epoch {real} NOT NULL, value {real}, PRIMARY KEY (run_id, name, step))
        """,
        """
        CREATE TABLE training_run_artefacts (run_id BIGINT NOT NULL REFERENCES training_runs(id), position BIGINT NOT NULL,
          name TEXT NOT NULL, path TEXT NOT NULL, PRIMARY KEY (run_id, position))
        """,
    ]
}
