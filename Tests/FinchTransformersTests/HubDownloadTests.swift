import FinchHubTestSupport
import FinchNN
import FinchTensor
import FinchTestSupport
import Foundation
import Testing

@testable import FinchTransformers

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
        for name in ["config.json", "model.safetensors", "modules.json", "1_Pooling/config.json", "vocab.txt", "tokenizer_config.json"] {
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
        #expect(Self.fileDownloads(hub) == 7)  // six files, the LFS one through a redirect

        // Second use: the complete snapshot is reused, no file is fetched again.
        #expect(try await reference.resolve(hub: client).path == dir.path)
        #expect(Self.fileDownloads(hub) == 7)

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
        await #expect(
            throws: HubError.checksumMismatch(
                file: "model.safetensors", algorithm: "sha256",
                expected: FakeHub.sha256(bytes), actual: FakeHub.sha256(bad))
        ) {
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
        #expect(
            try ModelReference(parsing: "hf:sentence-transformers/all-MiniLM-L6-v2")
                == .hub(repository: "sentence-transformers/all-MiniLM-L6-v2", revision: "main"))
        #expect(try ModelReference(parsing: "hf:bert-base-uncased@v1.0") == .hub(repository: "bert-base-uncased", revision: "v1.0"))
        #expect(try ModelReference(parsing: "hf:org/name@refs/pr/3") == .hub(repository: "org/name", revision: "refs/pr/3"))
        #expect(try ModelReference(parsing: "models/minilm") == .directory(URL(fileURLWithPath: "models/minilm", isDirectory: true)))
        #expect(try ModelReference(parsing: "hf:org/name@v2").description == "hf:org/name@v2")
        for bad in ["hf:", "hf:../x", "hf:a/b/c", "hf:org/name@", "hf:org/na me", "hf:org/name@../../x", ""] {
            #expect(throws: HubError.self, "\(bad) parsed") { try ModelReference(parsing: bad) }
        }
    }

    @Test func malformedEndpointIsAnError() {
        for bad in ["not a url", "ftp://example.org/", "http://", "/local/path", "localhost:8080"] {
            #expect(throws: HubError.invalidEndpoint(bad, reason: "not an absolute http:// or https:// URL with a host"), "\(bad)") {
                try HubClient.fromEnvironment(["FINCH_HUB_ENDPOINT": bad])
            }
        }
    }

    @Test func environmentAndFileSelection() throws {
        let c = try HubClient.fromEnvironment([
            "FINCH_CACHE": "/var/cache/finch", "FINCH_HUB_ENDPOINT": "http://127.0.0.1:9/",
            "HF_TOKEN": "secret",
        ])
        #expect(c.cacheDirectory.path == "/var/cache/finch/hub")
        #expect(c.endpoint.absoluteString == "http://127.0.0.1:9/" && c.token == "secret")
        #expect(
            c.fileURL(repository: "a/b", commit: "main", path: "1_Pooling/config.json").absoluteString
                == "http://127.0.0.1:9/a/b/resolve/main/1_Pooling/config.json")
        let d = try HubClient.fromEnvironment(["XDG_CACHE_HOME": "/x"])
        #expect(d.cacheDirectory.path == "/x/finch/hub" && d.endpoint == HubClient.defaultEndpoint && d.token == nil)
        for yes in ["config.json", "model.safetensors", "vocab.txt", "1_Pooling/config.json", "spiece.model"] {
            #expect(HubClient.wantsFile(yes), "\(yes)")
        }
        for no in ["README.md", "onnx/model.onnx", "pytorch_model.bin", "openvino/x.json", ".gitattributes", "a/b/c.json"] {
            #expect(!HubClient.wantsFile(no), "\(no)")
        }
    }
}
