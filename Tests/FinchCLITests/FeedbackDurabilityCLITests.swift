import FinchTestSupport
import Foundation
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The tiny classifier folder (labels negative, neutral, positive) built from the committed fixtures.
func tinyClassifierFolder() throws -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("finch-serve-classifier-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    for (fixture, files) in [
        ("tiny-bert-seqcls", ["config.json", "model.safetensors"]), ("tiny-bert-wordpiece", ["vocab.txt", "tokenizer_config.json"]),
    ] {
        for file in files {
            try FileManager.default.copyItem(
                at: TestSupport.fixtureURL(fixture).appendingPathComponent(file), to: dir.appendingPathComponent(file))
        }
    }
    return dir
}

/// Feedback acknowledged by `finch serve` is there after a SIGKILL and a restart,
/// and `finch feedback export` prints it.
@Suite(.serialized) struct FeedbackDurabilityCLITests {
    func durability(store: [String]) async throws {
        let model = try tinyClassifierFolder()
        let (ks, keyOut, keyErr) = try await CLI.runAsync(["keys", "create", "--scope", "write", "--name", "fb"] + store)
        #expect(ks == 0, "\(keyErr)")
        let key = keyOut.trimmingCharacters(in: .whitespacesAndNewlines)
        let name = "fb\(UUID().uuidString.prefix(6).lowercased())"
        let args = store + ["--model", "\(name)=\(model.path)"]
        var server = try ServeProcess(arguments: args)
        try await server.waitUntilReady()
        let base = server.baseURL
        let acknowledged = AckedIDs()
        let writers = (0..<3).map { w in
            Task {
                for i in 0..<10_000 {
                    guard
                        let (status, body) = try? await HTTP.request(
                            "POST", base + "/v1/feedback", key: key,
                            json: ["model": name, "input": "text \(i) of writer \(w)", "label": i % 2 == 0 ? "positive" : "negative"])
                    else { return }
                    if status == 201, let id = ((body as? [String: Any])?["feedback"] as? [String: Any])?["id"] as? String {
                        acknowledged.add(id)
                    }
                }
            }
        }
        try await acknowledged.wait(for: 6)
        server.signal(SIGKILL)
        for w in writers { await w.value }
        _ = try await server.waitForExit()
        #expect(acknowledged.count > 5, "writers got \(acknowledged.count) acknowledgements before the kill")
        server = try ServeProcess(arguments: args)
        try await server.waitUntilReady()
        let (status, body) = try await HTTP.request("GET", server.baseURL + "/v1/feedback?model=\(name)&limit=10000", key: key)
        #expect(status == 200)
        let stored = Set(((body as? [String: Any])?["feedback"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String })
        let lost = acknowledged.all.subtracting(stored)
        #expect(lost.isEmpty, "acknowledged but lost: \(lost.sorted().prefix(10))")
        server.signal(SIGTERM)
        #expect(try await server.waitForExit() == 0)
        // The export holds every acknowledged record, one JSON object a line.
        let (es, exported, exportErr) = try await CLI.runAsync(["feedback", "export", "--model", name] + store)
        #expect(es == 0, "\(exportErr)")
        let ids = Set(
            exported.split(separator: "\n").compactMap {
                (try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])?["id"] as? String
            })
        #expect(acknowledged.all.isSubset(of: ids))
        #expect(ids.count == stored.count)
    }

    @Test func sqliteKeepsAcknowledgedFeedbackThroughSIGKILL() async throws {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("finch-fb-\(UUID().uuidString)").path
        try await durability(store: ["--data-dir", data])
    }

    @Test func postgresKeepsAcknowledgedFeedbackThroughSIGKILL() async throws {
        let url = try #require(
            ProcessInfo.processInfo.environment["FINCH_TEST_POSTGRES_URL"], "set FINCH_TEST_POSTGRES_URL (Tools/test.sh does)")
        try await durability(store: ["--database-url", url])
    }

    @Test func exportRefusesAnUnknownFormat() throws {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("finch-fb-\(UUID().uuidString)").path
        let (status, _, err) = try CLI.run(["feedback", "export", "--data-dir", data, "--format", "csv"])
        #expect(status == 64)
        #expect(err.contains("csv"))
    }
}
