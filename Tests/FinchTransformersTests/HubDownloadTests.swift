import FinchNN
import FinchTensor
import FinchTestSupport
import Foundation
import Testing

@testable import FinchTransformers

/// A fake hub on 127.0.0.1 serving the tiny BERT fixture in the Hugging Face
/// URL layout: the repository listing, HEAD metadata (LFS files answer with a
/// redirect carrying `X-Linked-Size` / `X-Linked-Etag`, others with a git
/// blob id `ETag`), and downloads through a redirect to a "CDN" path. It can
/// corrupt or cut short a file's bytes while still advertising the originals.
final class FakeHub: @unchecked Sendable {
    static let repository = "finch-test/tiny-bert"
    static let commit = "0123456789abcdef0123456789abcdef01234567"
    let files: [String: [UInt8]]
    let lfs: Set<String> = ["model.safetensors"]
    private let lock = NSLock()
    private var corrupted: Set<String> = []
    private var truncated: Set<String> = []
    private var server: LocalHTTPServer?
    /// When set, LFS downloads redirect to this host name (same server), as the hub redirects to a CDN.
    private var redirectHost: String?

    init() throws {
        let dir = TestSupport.fixtureURL("tiny-bert")
        let modules = #"[{"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"}, "#
            + #"{"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"}]"#
        files = [
            "config.json": Array(try Data(contentsOf: dir.appendingPathComponent("config.json"))),
            "model.safetensors": Array(try Data(contentsOf: dir.appendingPathComponent("model.safetensors"))),
            "modules.json": Array(modules.utf8),
            "1_Pooling/config.json": Array(#"{"word_embedding_dimension": 32, "pooling_mode_cls_token": true}"#.utf8),
            "README.md": Array("# tiny".utf8),
            "onnx/model.onnx": [1, 2, 3],
            "pytorch_model.bin": [4, 5, 6],
        ]
        server = try LocalHTTPServer { [unowned self] in self.respond($0) }
    }

    var endpoint: URL { server!.baseURL }
    var requests: [LocalHTTPServer.Request] { server!.requests }
    func stop() { server?.stop() }

    func corrupt(_ file: String, _ on: Bool = true) { lock.withLock { if on { corrupted.insert(file) } else { corrupted.remove(file) } } }
    func truncate(_ file: String) { lock.withLock { _ = truncated.insert(file) } }
    func redirect(toHost host: String) { lock.withLock { redirectHost = host } }

    static func sha256(_ bytes: [UInt8]) -> String {
        var d = SHA256Digest()
        d.update(bytes)
        return d.finalizeHex()
    }

    static func blobID(_ bytes: [UInt8]) -> String {
        var d = GitBlobDigest(size: bytes.count)
        d.update(bytes)
        return d.finalizeHex()
    }

    func listing() -> [UInt8] {
        let siblings: [[String: Any]] = files.keys.sorted().map { name in
            let bytes = files[name]!
            var entry: [String: Any] = ["rfilename": name, "size": bytes.count, "blobId": Self.blobID(bytes)]
            if lfs.contains(name) { entry["lfs"] = ["sha256": Self.sha256(bytes), "size": bytes.count, "pointerSize": 134] }
            return entry
        }
        let object: [String: Any] = ["id": Self.repository, "sha": Self.commit, "siblings": siblings]
        return Array(try! JSONSerialization.data(withJSONObject: object))
    }

    func respond(_ request: LocalHTTPServer.Request) -> LocalHTTPServer.Response {
        let repo = Self.repository
        if request.path == "/api/models/\(repo)/revision/main" || request.path == "/api/models/\(repo)/revision/\(Self.commit)" {
            return .init(status: 200, headers: ["Content-Type": "application/json"], body: listing())
        }
        if request.path.hasPrefix("/api/models/") { return .init(status: 404, body: Array(#"{"error": "not found"}"#.utf8)) }
        if request.path.hasPrefix("/private/") { return .init(status: 401) }
        let resolve = "/\(repo)/resolve/\(Self.commit)/"
        if request.path.hasPrefix(resolve) {
            let name = String(request.path.dropFirst(resolve.count)).removingPercentEncoding ?? ""
            guard let bytes = files[name] else { return .init(status: 404) }
            if lfs.contains(name) {
                let host = lock.withLock { redirectHost }
                let location = host.map { "http://\($0):\(server!.port)/cdn/\(name)" } ?? "/cdn/\(name)"
                return .init(status: 302, headers: ["Location": location, "X-Repo-Commit": Self.commit,
                                                    "X-Linked-Size": String(bytes.count),
                                                    "X-Linked-Etag": "\"\(Self.sha256(bytes))\"", "ETag": "\"ignored\""])
            }
            return serve(name, bytes, headers: ["ETag": "W/\"\(Self.blobID(bytes))\"", "X-Repo-Commit": Self.commit])
        }
        if request.path.hasPrefix("/cdn/") {
            let name = String(request.path.dropFirst(5))
            guard let bytes = files[name] else { return .init(status: 404) }
            return serve(name, bytes, headers: [:])
        }
        return .init(status: 404)
    }

    private func serve(_ name: String, _ bytes: [UInt8], headers: [String: String]) -> LocalHTTPServer.Response {
        let (bad, short) = lock.withLock { (corrupted.contains(name), truncated.contains(name)) }
        var body = bytes
        if bad { body[body.count / 2] ^= 0xFF }
        return .init(status: 200, headers: headers, body: body, truncateAfter: short ? body.count / 2 : nil)
    }
}

@Suite struct HubDownloadTests {
    static func client(_ hub: FakeHub) throws -> HubClient {
        HubClient(endpoint: hub.endpoint, cacheDirectory: try SaveLoadTests.temporaryDirectory())
    }

    static func fileDownloads(_ hub: FakeHub) -> Int {
        hub.requests.filter { $0.method == "GET" && ($0.path.hasPrefix("/cdn/") || $0.path.contains("/resolve/")) }.count
    }

    @Test func downloadsVerifiesCachesAndLoads() async throws {
        let hub = try FakeHub()
        let client = try Self.client(hub)
        defer { try? FileManager.default.removeItem(at: client.cacheDirectory) }
        let reference = try ModelReference(parsing: "hf:finch-test/tiny-bert")
        let dir = try await reference.resolve(hub: client)
        #expect(dir.path.hasSuffix("models--finch-test--tiny-bert/snapshots/\(FakeHub.commit)"))
        for name in ["config.json", "model.safetensors", "modules.json", "1_Pooling/config.json"] {
            #expect(FileManager.default.contents(atPath: dir.appendingPathComponent(name).path).map(Array.init) == hub.files[name])
        }
        for skipped in ["README.md", "onnx/model.onnx", "pytorch_model.bin"] {
            #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent(skipped).path))
        }
        let downloaded = try BertModel(contentsOf: dir)
        let original = try BertModel(contentsOf: TestSupport.fixtureURL("tiny-bert"))
        let batch = SaveLoadTests.batch
        #expect((try downloaded.inference(batch)).lastHiddenState.scalars == (try original.inference(batch)).lastHiddenState.scalars)
        #expect(try SentenceEmbedder(contentsOf: dir).pooling.config.modes == [.cls])
        #expect(Self.fileDownloads(hub) == 5)  // four files, the LFS one through a redirect

        // Second use: the complete snapshot is reused, no file is fetched again.
        #expect(try await reference.resolve(hub: client).path == dir.path)
        #expect(Self.fileDownloads(hub) == 5)

        // Hub unreachable: the cached snapshot for the revision (and for its commit) still resolves.
        hub.stop()
        #expect(try await reference.resolve(hub: client).path == dir.path)
        #expect(try await ModelReference(parsing: "hf:finch-test/tiny-bert@\(FakeHub.commit)").resolve(hub: client).path == dir.path)
        await #expect(throws: HubError.self) {
            try await ModelReference(parsing: "hf:finch-test/tiny-bert@v2").resolve(hub: client)
        }
    }

    func expectNothingUsable(_ client: HubClient) {
        let repo = client.cacheDirectory.appendingPathComponent("models--finch-test--tiny-bert")
        let snapshot = repo.appendingPathComponent("snapshots/\(FakeHub.commit)")
        #expect(!FileManager.default.fileExists(atPath: snapshot.appendingPathComponent("model.safetensors").path))
        #expect(!FileManager.default.fileExists(atPath: snapshot.appendingPathComponent(HubCache.manifestName).path))
        #expect(!FileManager.default.fileExists(atPath: repo.appendingPathComponent("refs/main").path))
        let leftovers = (try? FileManager.default.contentsOfDirectory(atPath: repo.appendingPathComponent("tmp").path)) ?? []
        #expect(leftovers.isEmpty, "partial downloads left behind: \(leftovers)")
    }

    @Test func corruptedDownloadIsDetectedAndNeverUsed() async throws {
        let hub = try FakeHub()
        let client = try Self.client(hub)
        defer { try? FileManager.default.removeItem(at: client.cacheDirectory) }
        hub.corrupt("model.safetensors")
        let bytes = hub.files["model.safetensors"]!
        var bad = bytes
        bad[bad.count / 2] ^= 0xFF
        await #expect(throws: HubError.checksumMismatch(file: "model.safetensors", algorithm: "sha256",
                                                        expected: FakeHub.sha256(bytes), actual: FakeHub.sha256(bad))) {
            try await client.snapshot(repository: FakeHub.repository)
        }
        expectNothingUsable(client)

        // Once the hub serves the right bytes, the next run completes.
        hub.corrupt("model.safetensors", false)
        let dir = try await client.snapshot(repository: FakeHub.repository)
        #expect(FileManager.default.contents(atPath: dir.appendingPathComponent("model.safetensors").path).map(Array.init) == bytes)
    }

    @Test func corruptedSmallFileFailsItsGitBlobID() async throws {
        let hub = try FakeHub()
        let client = try Self.client(hub)
        defer { try? FileManager.default.removeItem(at: client.cacheDirectory) }
        hub.corrupt("config.json")
        do {
            _ = try await client.snapshot(repository: FakeHub.repository)
            Issue.record("a corrupt config.json was accepted")
        } catch let HubError.checksumMismatch(file, algorithm, expected, _) {
            #expect(file == "config.json" && algorithm == "git blob sha1" && expected == FakeHub.blobID(hub.files["config.json"]!))
        }
        let snapshot = client.cacheDirectory.appendingPathComponent("models--finch-test--tiny-bert/snapshots/\(FakeHub.commit)")
        #expect(!FileManager.default.fileExists(atPath: snapshot.appendingPathComponent("config.json").path))
    }

    @Test func truncatedTransferIsDetectedAndNeverUsed() async throws {
        let hub = try FakeHub()
        let client = try Self.client(hub)
        defer { try? FileManager.default.removeItem(at: client.cacheDirectory) }
        hub.truncate("model.safetensors")
        let size = hub.files["model.safetensors"]!.count
        do {
            _ = try await client.snapshot(repository: FakeHub.repository)
            Issue.record("a truncated model.safetensors was accepted")
        } catch let HubError.sizeMismatch(file, expected, received) {
            #expect(file == "model.safetensors" && expected == size && received < size)
        }
        expectNothingUsable(client)
    }

    @Test func hubErrorsAreNamed() async throws {
        let hub = try FakeHub()
        let client = try Self.client(hub)
        defer { try? FileManager.default.removeItem(at: client.cacheDirectory) }
        await #expect(throws: HubError.notFound(repository: "finch-test/missing", revision: "main")) {
            try await client.snapshot(repository: "finch-test/missing")
        }
        await #expect(throws: HubError.notFound(repository: FakeHub.repository, revision: "v9")) {
            try await client.snapshot(repository: FakeHub.repository, revision: "v9")
        }
        hub.stop()
        do {
            _ = try await client.snapshot(repository: FakeHub.repository)
            Issue.record("resolved with the hub down and nothing cached")
        } catch HubError.transport(let url, _) {
            #expect(url.contains("/api/models/finch-test/tiny-bert/revision/main"))
        }
        await #expect(throws: HubError.notADirectory(path: "/nonexistent/finch-model")) {
            try await ModelReference.directory(URL(fileURLWithPath: "/nonexistent/finch-model")).resolve(hub: client)
        }
    }

    @Test func tokenGoesToTheHubOnly() async throws {
        let hub = try FakeHub()
        hub.redirect(toHost: "localhost")
        var client = try Self.client(hub)
        client.token = "secret-token"
        defer { try? FileManager.default.removeItem(at: client.cacheDirectory) }
        _ = try await client.snapshot(repository: FakeHub.repository)
        let requests = hub.requests
        #expect(requests.filter { $0.path.hasPrefix("/api/") }.allSatisfy { $0.headers["authorization"] == "Bearer secret-token" })
        let cdn = requests.filter { $0.path.hasPrefix("/cdn/") }
        #expect(cdn.count == 1)
        #expect(cdn.allSatisfy { $0.headers["authorization"] == nil && $0.headers["host"]?.hasPrefix("localhost") == true })
    }

    @Test func referencesParse() throws {
        #expect(try ModelReference(parsing: "hf:sentence-transformers/all-MiniLM-L6-v2")
            == .hub(repository: "sentence-transformers/all-MiniLM-L6-v2", revision: "main"))
        #expect(try ModelReference(parsing: "hf:bert-base-uncased@v1.0") == .hub(repository: "bert-base-uncased", revision: "v1.0"))
        #expect(try ModelReference(parsing: "hf:org/name@refs/pr/3") == .hub(repository: "org/name", revision: "refs/pr/3"))
        #expect(try ModelReference(parsing: "models/minilm") == .directory(URL(fileURLWithPath: "models/minilm", isDirectory: true)))
        #expect(try ModelReference(parsing: "hf:org/name@v2").description == "hf:org/name@v2")
        for bad in ["hf:", "hf:../x", "hf:a/b/c", "hf:org/name@", "hf:org/na me", "hf:org/name@../../x", ""] {
            #expect(throws: HubError.self, "\(bad) parsed") { try ModelReference(parsing: bad) }
        }
    }

    @Test func environmentAndFileSelection() {
        let c = HubClient.fromEnvironment(["FINCH_CACHE": "/var/cache/finch", "FINCH_HUB_ENDPOINT": "http://127.0.0.1:9/",
                                           "HF_TOKEN": "secret"])
        #expect(c.cacheDirectory.path == "/var/cache/finch/hub")
        #expect(c.endpoint.absoluteString == "http://127.0.0.1:9/" && c.token == "secret")
        #expect(c.fileURL(repository: "a/b", commit: "main", path: "1_Pooling/config.json").absoluteString
            == "http://127.0.0.1:9/a/b/resolve/main/1_Pooling/config.json")
        let d = HubClient.fromEnvironment(["XDG_CACHE_HOME": "/x"])
        #expect(d.cacheDirectory.path == "/x/finch/hub" && d.endpoint == HubClient.defaultEndpoint && d.token == nil)
        for yes in ["config.json", "model.safetensors", "vocab.txt", "1_Pooling/config.json", "spiece.model"] {
            #expect(HubClient.wantsFile(yes), "\(yes)")
        }
        for no in ["README.md", "onnx/model.onnx", "pytorch_model.bin", "openvino/x.json", ".gitattributes", "a/b/c.json"] {
            #expect(!HubClient.wantsFile(no), "\(no)")
        }
    }
}
