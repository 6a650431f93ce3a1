import FinchTestSupport
import Foundation
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Two `finch serve` instances on one PostgreSQL behind Debian's nginx running
/// `deploy/nginx/finch.conf`: one instance is killed (SIGKILL) in the middle of a load of requests
/// nginx may retry, and no request fails; afterwards the API and the dashboard of either instance
/// show the same models and data. Needs `FINCH_TEST_POSTGRES_URL` and nginx (Tools/test.sh provides
/// both).
///
/// The load is what the configuration retries: `GET /v1/models` (a GET) and `POST /v1/embed` (a
/// POST that only computes from its body, listed in the configuration's retried locations). A
/// request in flight on the killed instance fails with a connection error, and nginx sends it to
/// the other instance; a request nginx may not retry (a plain POST) could fail there, which is why
/// none is in this load.
@Suite(.serialized) struct DeployFailoverCLITests {
    /// Statuses of the load's requests (0: the client saw no HTTP answer).
    final class Tally: @unchecked Sendable {
        private let lock = NSLock()
        private var statuses: [Int] = []
        private var stopAt = Date.distantFuture
        func add(_ status: Int) { lock.withLock { statuses.append(status) } }
        var all: [Int] { lock.withLock { statuses } }
        var count: Int { lock.withLock { statuses.count } }
        /// The load runs until `stop(after:)` sets its end.
        var running: Bool { lock.withLock { Date() < stopAt } }
        func stop(after seconds: Double) { lock.withLock { stopAt = Date().addingTimeInterval(seconds) } }
    }

    static func models(_ base: String, key: String, name: String) async throws -> [String: Any]? {
        let (status, body) = try await HTTP.request("GET", base + "/v1/models", key: key)
        guard status == 200 else { return nil }
        return ((body as? [String: Any])?["models"] as? [[String: Any]])?.first { $0["name"] as? String == name }
    }

    static func entryIDs(_ base: String, key: String, collection: String) async throws -> [String] {
        let (status, body) = try await HTTP.request("GET", base + "/v1/collections/\(collection)/entries", key: key)
        #expect(status == 200)
        return ((body as? [String: Any])?["entries"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }.sorted()
    }

    static func dashboardStatus(_ base: String) async throws -> Int {
        let (data, response) = try await URLSession.shared.data(from: URL(string: base + "/")!)
        return (response as? HTTPURLResponse)?.statusCode == 200 && !data.isEmpty ? 200 : -1
    }

    @Test func killingAnInstanceUnderLoadFailsNoRetriableRequest() async throws {
        let url = try #require(
            ProcessInfo.processInfo.environment["FINCH_TEST_POSTGRES_URL"], "set FINCH_TEST_POSTGRES_URL (Tools/test.sh does)")
        #expect(FileManager.default.isExecutableFile(atPath: DeployNginx.binary), "install nginx (Tools/test.sh does)")
        let tag = String(UUID().uuidString.prefix(8)).lowercased()
        let model = try tinyEmbedderFolder()
        defer { try? FileManager.default.removeItem(at: model) }
        let (created, out, err) = try await CLI.runAsync([
            "keys", "create", "--scope", "write", "--name", "deploy-\(tag)", "--database-url", url,
        ])
        #expect(created == 0, "\(err)")
        let key = out.trimmingCharacters(in: .whitespacesAndNewlines)
        let name = "deploy-\(tag)"
        let args = ["--database-url", url, "--model", "\(name)=\(model.path)"]
        // The key's rate limit (200/s per instance) is not what this test is about: on an idle machine
        // the load's GETs alone exceed it once one instance takes everything.
        let environment = ["FINCH_RELOAD_INTERVAL_S": "0.5", "FINCH_RATE_LIMIT": "100000", "FINCH_RATE_BURST": "100000"]
        let a = try ServeProcess(arguments: args, environment: environment)
        try await a.waitUntilReady()
        let b = try ServeProcess(arguments: args, environment: environment)
        try await b.waitUntilReady()
        let nginx = try DeployNginx(instances: [a.port, b.port])
        var restarted: ServeProcess?
        defer {
            for server in [a, b, restarted].compactMap({ $0 }) where server.process.isRunning { server.signal(SIGKILL) }
        }
        try await nginx.waitUntilReady()

        // Data written through nginx before the failure (plain POSTs: not retried, so not in the load).
        let collection = "deploy-\(tag)"
        var (status, _) = try await HTTP.request("PUT", nginx.baseURL + "/v1/collections/\(collection)", key: key, json: ["model": name])
        #expect(status == 201)
        (status, _) = try await HTTP.request(
            "POST", nginx.baseURL + "/v1/collections/\(collection)/entries", key: key,
            json: ["entries": (0..<5).map { ["id": "e\($0)", "text": "entry number \($0)"] }])
        #expect(status == 200)

        let tally = Tally()
        let base = nginx.baseURL
        let load = (0..<4).map { worker in
            Task {
                var n = 0
                while tally.running {
                    n += 1
                    let reply =
                        n % 2 == 0
                        ? try? await HTTP.request("GET", base + "/v1/models", key: key)
                        : try? await HTTP.request(
                            "POST", base + "/v1/embed", key: key, json: ["model": name, "inputs": ["worker \(worker) request \(n)"]])
                    tally.add(reply?.0 ?? 0)
                }
            }
        }
        // The kill comes once the load is under way (20 answers, however slow the machine), and the
        // load goes on for 4 s after it; a fixed 2 s wait sent too few requests on a loaded machine.
        let deadline = Date().addingTimeInterval(60)
        while tally.count < 20 && Date() < deadline { try await Task.sleep(nanoseconds: 50_000_000) }
        tally.stop(after: 4)
        a.signal(SIGKILL)
        for task in load { await task.value }
        _ = try await a.waitForExit()

        let statuses = tally.all
        let failed = statuses.filter { $0 != 200 }
        // nginx writes a request's log line after the client has its answer: wait for the last ones.
        func loadLines() -> [String] { nginx.accessLines.filter { $0.contains("/v1/models") || $0.contains("/v1/embed") } }
        var lines = loadLines()
        let logDeadline = Date().addingTimeInterval(10)
        while lines.count < statuses.count && Date() < logDeadline {
            try await Task.sleep(nanoseconds: 100_000_000)
            lines = loadLines()
        }
        let retried = lines.filter { $0.contains("upstream_status=\"") && $0.contains(", ") }
        #expect(statuses.count > 20, "the load sent \(statuses.count) requests")
        #expect(failed.isEmpty, "\(failed.count) of \(statuses.count) requests failed: \(Set(failed))")
        #expect(!retried.isEmpty, "no request was retried on the other instance: the kill fell outside the load")
        #expect(lines.count >= statuses.count, "nginx logged every request")
        #expect(lines.allSatisfy { $0.contains("\" 200 ") }, "nginx answered every request 200")
        // The same counts in the test log (BENCHMARKS.md quotes the benchmark script's run).
        print("deploy failover: \(statuses.count) requests, \(failed.count) failed, \(retried.count) retried by nginx")

        // Both instances — the survivor and the killed one started again — show the same models and data.
        let again = try ServeProcess(arguments: args, environment: environment)
        restarted = again
        try await again.waitUntilReady()
        let onB = try #require(try await Self.models(b.baseURL, key: key, name: name))
        let onAgain = try #require(try await Self.models(again.baseURL, key: key, name: name))
        #expect(onB["active_version"] as? Int == onAgain["active_version"] as? Int)
        #expect((onB["versions"] as? [[String: Any]])?.count == (onAgain["versions"] as? [[String: Any]])?.count)
        let expected = (0..<5).map { "e\($0)" }
        #expect(try await Self.entryIDs(b.baseURL, key: key, collection: collection) == expected)
        #expect(try await Self.entryIDs(again.baseURL, key: key, collection: collection) == expected)
        let dashboards = [try await Self.dashboardStatus(b.baseURL), try await Self.dashboardStatus(again.baseURL)]
        #expect(dashboards == [200, 200], "the dashboard's page on both")

        await nginx.stop()
        for server in [b, again] {
            server.signal(SIGTERM)
            #expect(try await server.waitForExit() == 0)
        }
    }
}
