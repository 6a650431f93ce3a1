import FinchTestSupport
import Foundation
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// A `finch serve` child process on a free loopback port.
final class ServeProcess: @unchecked Sendable {
    let process = Process()
    let port: Int
    let log: URL

    init(arguments: [String], environment: [String: String] = [:]) throws {
        port = try Self.freePort()
        log = FileManager.default.temporaryDirectory.appendingPathComponent("finch-serve-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        process.executableURL = CLI.binary
        process.arguments = ["serve", "--host", "127.0.0.1", "--port", String(port)] + arguments
        process.environment = CLI.environment(environment)
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
    }

    var baseURL: String { "http://127.0.0.1:\(port)" }
    var logText: String { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }

    /// Waits until `/readyz` answers 200.
    func waitUntilReady(timeout: Double = 60) async throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if !process.isRunning { throw ServeTestError.exited(process.terminationStatus, logText) }
            if let (status, _) = try? await HTTP.request("GET", baseURL + "/readyz"), status == 200 { return }
            try await Task.sleep(nanoseconds: 100_000_000)
        }
        throw ServeTestError.notReady(logText)
    }

    func signal(_ signal: Int32) { kill(process.processIdentifier, signal) }

    /// Waits for the process to end and returns its status.
    func waitForExit(timeout: Double = 30) async throws -> Int32 {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { try await Task.sleep(nanoseconds: 50_000_000) }
        if process.isRunning {
            process.terminate()
            throw ServeTestError.stillRunning(logText)
        }
        return process.terminationStatus
    }

    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &addr) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else { throw ServeTestError.noPort }
        return Int(UInt16(bigEndian: addr.sin_port))
    }
}

enum ServeTestError: Error {
    case exited(Int32, String), notReady(String), stillRunning(String), noPort, badResponse
}

/// Plain HTTP calls with URLSession.
enum HTTP {
    static func request(_ method: String, _ url: String, key: String? = nil, json: Any? = nil) async throws -> (Int, Any?) {
        var request = URLRequest(url: URL(string: url)!)
        request.httpMethod = method
        request.timeoutInterval = 60
        if let key { request.setValue("Bearer \(key)", forHTTPHeaderField: "Authorization") }
        if let json {
            request.httpBody = try JSONSerialization.data(withJSONObject: json)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        let (data, response) = try await URLSession.shared.data(for: request)
        guard let http = response as? HTTPURLResponse else { throw ServeTestError.badResponse }
        let body = data.isEmpty ? nil : try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        return (http.statusCode, body)
    }
}

/// The tiny embedder folder (hidden 32, 64 positions) built from the committed fixtures.
func tinyEmbedderFolder() throws -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("finch-serve-model-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let source = TestSupport.fixtureURL("tiny-bert-wordpiece")
    for file in ["config.json", "model.safetensors", "vocab.txt", "tokenizer_config.json"] {
        try FileManager.default.copyItem(at: source.appendingPathComponent(file), to: dir.appendingPathComponent(file))
    }
    return dir
}

@Suite(.serialized) struct ServeCLITests {
    func createKey(_ scope: String, store: [String]) async throws -> String {
        let (status, out, err) = try await CLI.runAsync(["keys", "create", "--scope", scope, "--name", "cli"] + store)
        #expect(status == 0, "\(err)")
        let lines = out.split(separator: "\n")
        #expect(lines.count == 1, "the key alone on stdout")
        return String(lines.first ?? "")
    }

    @Test func keysCreateListRevoke() async throws {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("finch-keys-\(UUID().uuidString)").path
        let key = try await createKey("admin", store: ["--data-dir", data])
        #expect(key.hasPrefix("finch_"))
        let (status, listing, _) = try CLI.run(["keys", "list", "--data-dir", data])
        #expect(status == 0)
        let id = String(key.split(separator: "_")[1])
        #expect(listing.contains(id) && listing.contains("admin"))
        #expect(!listing.contains(key))
        let (rs, _, _) = try CLI.run(["keys", "revoke", id, "--data-dir", data])
        #expect(rs == 0)
        let (bad, _, err) = try CLI.run(["keys", "revoke", "000000000000", "--data-dir", data])
        #expect(bad != 0)
        #expect(err.contains("no key with id 000000000000"))
        // The database holds no key in clear text.
        let secret = String(key.split(separator: "_", maxSplits: 2)[2])
        for file in try FileManager.default.contentsOfDirectory(atPath: data) {
            let bytes = try Data(contentsOf: URL(fileURLWithPath: data).appendingPathComponent(file))
            #expect(bytes.range(of: Data(secret.utf8)) == nil, "\(file) holds the key")
        }
    }

    @Test func unknownConfigKeyStopsStartUp() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("finch-cfg-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let file = dir.appendingPathComponent("finch.yaml")
        try "port: 8080\nworkers: 4\n".write(to: file, atomically: true, encoding: .utf8)
        let (status, _, err) = try CLI.run(["serve", "--config", file.path])
        #expect(status != 0)
        #expect(err.contains("workers"))
        let (s2, _, e2) = try CLI.run(["serve", "--data-dir", dir.path, "--model", "x=\(dir.path)"])
        #expect(s2 != 0)
        #expect(e2.contains("missing config.json"))
    }

    /// Writers add entries while the server is killed with SIGKILL; every acknowledged entry is there after a restart.
    func durability(store: [String]) async throws {
        let model = try tinyEmbedderFolder()
        let key = try await createKey("write", store: store)
        let args = store + ["--model", "mini=\(model.path)"]
        var server = try ServeProcess(arguments: args)
        try await server.waitUntilReady()
        let collection = "dur-\(UUID().uuidString.prefix(6).lowercased())"
        let (created, _) = try await HTTP.request(
            "PUT", server.baseURL + "/v1/collections/\(collection)", key: key, json: ["model": "mini"])
        #expect(created == 201)
        let base = server.baseURL
        let acknowledged = AckedIDs()
        let writers = (0..<3).map { w in
            Task {
                for i in 0..<10_000 {
                    let id = "w\(w)-\(i)"
                    guard
                        let (status, _) = try? await HTTP.request(
                            "POST", base + "/v1/collections/\(collection)/entries", key: key,
                            json: ["entries": [["id": id, "text": "entry \(i) of writer \(w)"]]])
                    else { return }
                    if status == 200 { acknowledged.add(id) }
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
        let (status, body) = try await HTTP.request("GET", server.baseURL + "/v1/collections/\(collection)/entries", key: key)
        #expect(status == 200)
        let stored = Set(((body as? [String: Any])?["entries"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String })
        let lost = acknowledged.all.subtracting(stored)
        #expect(lost.isEmpty, "acknowledged but lost: \(lost.sorted().prefix(10))")
        server.signal(SIGTERM)
        #expect(try await server.waitForExit() == 0)
    }

    @Test func sqliteKeepsAcknowledgedWritesThroughSIGKILL() async throws {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("finch-dur-\(UUID().uuidString)").path
        try await durability(store: ["--data-dir", data])
    }

    @Test func postgresKeepsAcknowledgedWritesThroughSIGKILL() async throws {
        let url = try #require(
            ProcessInfo.processInfo.environment["FINCH_TEST_POSTGRES_URL"], "set FINCH_TEST_POSTGRES_URL (Tools/test.sh does)")
        try await durability(store: ["--database-url", url])
    }

    @Test func sigtermLetsRequestsInFlightFinish() async throws {
        let model = try tinyEmbedderFolder()
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("finch-term-\(UUID().uuidString)").path
        let key = try await createKey("read", store: ["--data-dir", data])
        // Requests wait 1.5 s for company in the batcher, so they are in flight when SIGTERM comes.
        let server = try ServeProcess(arguments: ["--data-dir", data, "--model", "mini=\(model.path)", "--max-wait-ms", "1500"])
        try await server.waitUntilReady()
        let base = server.baseURL
        let requests = (0..<3).map { i in
            Task { () async throws -> (Int, Int?) in
                let (status, body) = try await HTTP.request(
                    "POST", base + "/v1/embed", key: key, json: ["model": "mini", "inputs": ["text \(i)"]])
                return (status, ((body as? [String: Any])?["embeddings"] as? [[Double]])?.count)
            }
        }
        try await Task.sleep(nanoseconds: 400_000_000)
        server.signal(SIGTERM)
        for r in requests {
            let (status, count) = try await r.value
            #expect(status == 200)
            #expect(count == 1)
        }
        #expect(try await server.waitForExit() == 0)
        #expect(server.logText.contains("\"message\":\"request\""))
    }

    @Test func twoInstancesOnOnePostgresBehaveAsOne() async throws {
        let url = try #require(
            ProcessInfo.processInfo.environment["FINCH_TEST_POSTGRES_URL"], "set FINCH_TEST_POSTGRES_URL (Tools/test.sh does)")
        let model = try tinyEmbedderFolder()
        let admin = try await createKey("admin", store: ["--database-url", url])
        let args = ["--database-url", url, "--model", "mini=\(model.path)"]
        let a = try ServeProcess(arguments: args, environment: ["FINCH_RELOAD_INTERVAL_S": "0.5"])
        try await a.waitUntilReady()
        let b = try ServeProcess(arguments: args, environment: ["FINCH_RELOAD_INTERVAL_S": "0.5"])
        try await b.waitUntilReady()
        // A key made through A works on B at once.
        let (made, body) = try await HTTP.request("POST", a.baseURL + "/v1/keys", key: admin, json: ["scope": "write", "name": "shared"])
        #expect(made == 201)
        let key = try #require((body as? [String: Any])?["key"] as? String)
        #expect(try await HTTP.request("GET", b.baseURL + "/v1/models", key: key).0 == 200)
        // A collection written through A is searchable on B after its reload.
        let name = "shared-\(UUID().uuidString.prefix(6).lowercased())"
        #expect(try await HTTP.request("PUT", a.baseURL + "/v1/collections/\(name)", key: key, json: ["model": "mini"]).0 == 201)
        let entries = [["id": "pw", "text": "how do i reset my password"], ["id": "hours", "text": "opening hours"]]
        #expect(
            try await HTTP.request("POST", a.baseURL + "/v1/collections/\(name)/entries", key: key, json: ["entries": entries]).0 == 200)
        var found: String?
        let deadline = Date().addingTimeInterval(10)
        while found == nil && Date() < deadline {
            let (status, result) = try await HTTP.request(
                "POST", b.baseURL + "/v1/search", key: key,
                json: ["collection": name, "query": "how do i reset my password"])
            if status == 200 { found = (((result as? [String: Any])?["results"] as? [[String: Any]])?.first?["id"] as? String) }
            if found == nil { try await Task.sleep(nanoseconds: 200_000_000) }
        }
        #expect(found == "pw")
        // A key revoked through B stops working on A within seconds.
        let id = String(key.split(separator: "_")[1])
        #expect(try await HTTP.request("DELETE", b.baseURL + "/v1/keys/\(id)", key: admin).0 == 204)
        try await Task.sleep(nanoseconds: 1_500_000_000)
        #expect(try await HTTP.request("GET", a.baseURL + "/v1/models", key: key).0 == 401)
        a.signal(SIGTERM)
        b.signal(SIGTERM)
        #expect(try await a.waitForExit() == 0)
        #expect(try await b.waitForExit() == 0)
    }
}

/// Ids the server acknowledged.
final class AckedIDs: @unchecked Sendable {
    private let lock = NSLock()
    private var ids = Set<String>()
    func add(_ id: String) { lock.withLock { _ = ids.insert(id) } }
    var all: Set<String> { lock.withLock { ids } }
    var count: Int { lock.withLock { ids.count } }

    /// Waits until `count` acknowledgements arrived (or `seconds` passed), then a moment more so
    /// that writes are in flight at the kill. A fixed sleep instead made the kill tests depend
    /// on how fast a loaded machine answers (3 acknowledgements in 1.5 s under a load of 10).
    func wait(for count: Int, seconds: Double = 60) async throws {
        let deadline = Date().addingTimeInterval(seconds)
        while self.count < count && Date() < deadline { try await Task.sleep(nanoseconds: 50_000_000) }
        try await Task.sleep(nanoseconds: 200_000_000)
    }
}
