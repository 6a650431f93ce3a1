import Foundation
import GRDB
import Testing

/// `finch monitor ingest`: a JSONL stream into a monitor of the store, offline, idempotent on id.
@Suite struct MonitorIngestCLITests {
    @Test func ingestStoresNewDocumentsOnceWithTheirBuckets() throws {
        let dir = try MonitorReplayCLITests.workFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let data = dir.appendingPathComponent("data").path
        // A store (created by `finch keys create`) holding the classifier's version and a monitor, as `finch serve` would.
        let (cs, _, cerr) = try CLI.run(["keys", "create", "--scope", "admin", "--data-dir", data])
        try #require(cs == 0, "\(cerr)")
        let database = try DatabaseQueue(path: data + "/finch.sqlite")
        try database.write { db in
            try db.execute(
                sql:
                    "INSERT INTO model_versions (name, version, kind, path, active, created_at) VALUES ('sentiment', 1, 'classifier', ?, 1, 0)",
                arguments: [dir.appendingPathComponent("classifier").path])
            try db.execute(
                sql: "INSERT INTO monitors (name, config, updated_at) VALUES ('news', ?, 0)",
                arguments: [#"{"name": "news", "sentiment_model": "sentiment", "bucket": "hour", "watchlist": {"Acme": ["ACME"]}}"#])
        }
        let lines = (0..<5).map { i in
            MonitorReplayCLITests.line("d\(i)", i == 4 ? "write to ann.lee@example.com" : "ACME film \(i)", hour: i / 2, minute: i)
        }
        let stream = dir.appendingPathComponent("stream.jsonl")
        try MonitorReplayCLITests.write((lines + [lines[0]]).joined(separator: "\n") + "\n", stream)

        var (status, out, err) = try CLI.run(["monitor", "ingest", "--monitor", "news", "--input", stream.path, "--data-dir", data])
        #expect(status == 0, "\(err)")
        #expect(out.trimmingCharacters(in: .whitespacesAndNewlines) == #"{"documents":6,"new":5,"known":1}"#)
        (status, out, err) = try CLI.run(["monitor", "ingest", "--monitor", "news", "--input", stream.path, "--data-dir", data])
        #expect(status == 0, "\(err)")
        #expect(out.trimmingCharacters(in: .whitespacesAndNewlines) == #"{"documents":6,"new":0,"known":6}"#)

        let (documents, acme, texts) = try database.read { db in
            (
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM monitor_documents WHERE monitor = 'news'") ?? -1,
                try Int.fetchAll(
                    db, sql: "SELECT count FROM monitor_buckets WHERE monitor = 'news' AND kind = 'entity' AND name = 'Acme' ORDER BY start"
                ),
                try String.fetchAll(db, sql: "SELECT body FROM monitor_documents")
            )
        }
        #expect(documents == 5)
        #expect(acme == [2, 2])  // hours 0 and 1; d4 (hour 2) mentions nobody
        #expect(texts.allSatisfy { !$0.contains("ann.lee@example.com") })  // redacted before it was stored

        (status, _, err) = try CLI.run(["monitor", "ingest", "--monitor", "absent", "--input", stream.path, "--data-dir", data])
        #expect(status != 0)
        #expect(err.contains("--monitor") && err.contains("absent"), "\(err)")
        try database.close()
    }
}
