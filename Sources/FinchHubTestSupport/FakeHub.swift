import FinchTestSupport
import FinchTransformers
import Foundation

/// A fake hub on 127.0.0.1 serving the tiny BERT fixture (with the WordPiece
/// fixture's vocabulary) in the Hugging Face
/// URL layout: the repository listing, HEAD metadata (LFS files answer with a
/// redirect carrying `X-Linked-Size` / `X-Linked-Etag`, others with a git
/// blob id `ETag`), and downloads through a redirect to a "CDN" path. It can
/// corrupt or cut short a file's bytes while still advertising the originals.
public final class FakeHub: @unchecked Sendable {
    public static let repository = "finch-test/tiny-bert"
    public static let commit = "0123456789abcdef0123456789abcdef01234567"
    public let files: [String: [UInt8]]
    public let lfs: Set<String> = ["model.safetensors"]
    private let lock = NSLock()
    private var corrupted: Set<String> = []
    private var truncated: Set<String> = []
    private var server: LocalHTTPServer?
    /// When set, LFS downloads redirect to this host name (same server), as the hub redirects to a CDN.
    private var redirectHost: String?

    public init() throws {
        let dir = TestSupport.fixtureURL("tiny-bert")
        let tokenizer = TestSupport.fixtureURL("tiny-bert-wordpiece")  // same vocabulary size (99)
        let modules =
            #"[{"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"}, "#
            + #"{"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"}]"#
        files = [
            "config.json": Array(try Data(contentsOf: dir.appendingPathComponent("config.json"))),
            "model.safetensors": Array(try Data(contentsOf: dir.appendingPathComponent("model.safetensors"))),
            "modules.json": Array(modules.utf8),
            "1_Pooling/config.json": Array(#"{"word_embedding_dimension": 32, "pooling_mode_cls_token": true}"#.utf8),
            "vocab.txt": Array(try Data(contentsOf: tokenizer.appendingPathComponent("vocab.txt"))),
            "tokenizer_config.json": Array(try Data(contentsOf: tokenizer.appendingPathComponent("tokenizer_config.json"))),
            "README.md": Array("# tiny".utf8),
            "onnx/model.onnx": [1, 2, 3],
            "pytorch_model.bin": [4, 5, 6],
        ]
        server = try LocalHTTPServer { [unowned self] in self.respond($0) }
    }

    public var endpoint: URL { server!.baseURL }
    public var requests: [LocalHTTPServer.Request] { server!.requests }
    public func stop() { server?.stop() }

    public func corrupt(_ file: String, _ on: Bool = true) {
        lock.withLock { if on { corrupted.insert(file) } else { corrupted.remove(file) } }
    }
    public func truncate(_ file: String) { lock.withLock { _ = truncated.insert(file) } }
    public func redirect(toHost host: String) { lock.withLock { redirectHost = host } }

    public static func sha256(_ bytes: [UInt8]) -> String {
        var d = SHA256Digest()
        d.update(bytes)
        return d.finalizeHex()
    }

    public static func blobID(_ bytes: [UInt8]) -> String {
        var d = GitBlobDigest(size: bytes.count)
        d.update(bytes)
        return d.finalizeHex()
    }

    public func listing() -> [UInt8] {
        let siblings: [[String: Any]] = files.keys.sorted().map { name in
            let bytes = files[name]!
            var entry: [String: Any] = ["rfilename": name, "size": bytes.count, "blobId": Self.blobID(bytes)]
            if lfs.contains(name) { entry["lfs"] = ["sha256": Self.sha256(bytes), "size": bytes.count, "pointerSize": 134] }
            return entry
        }
        let object: [String: Any] = ["id": Self.repository, "sha": Self.commit, "siblings": siblings]
        return Array(try! JSONSerialization.data(withJSONObject: object))
    }

    public func respond(_ request: LocalHTTPServer.Request) -> LocalHTTPServer.Response {
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
                return .init(
                    status: 302,
                    headers: [
                        "Location": location, "X-Repo-Commit": Self.commit,
                        "X-Linked-Size": String(bytes.count),
                        "X-Linked-Etag": "\"\(Self.sha256(bytes))\"", "ETag": "\"ignored\"",
                    ])
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
