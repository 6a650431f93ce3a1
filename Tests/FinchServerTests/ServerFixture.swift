import FinchApps
import FinchServer
import FinchTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Tiny model folders (hidden 32, vocabulary 99; the embedder has 64 positions) built from the
/// committed fixtures, a temporary SQLite store with one key per scope, and
/// the app built by the composition root.
struct ServerFixture {
    let root: URL
    let store: SQLiteStore
    let configuration: ServerConfiguration
    let readKey: String
    let writeKey: String
    let adminKey: String
    let logLines: LogLines

    /// The three tiny model folders under a new temporary directory.
    static func modelFolders(in root: URL) throws -> (embedder: URL, classifier: URL, tagger: URL) {
        let fm = FileManager.default
        let vocab = TestSupport.fixtureURL("tiny-bert-wordpiece")
        func folder(_ name: String, from fixture: String) throws -> URL {
            let dir = root.appendingPathComponent(name)
            try fm.createDirectory(at: dir, withIntermediateDirectories: true)
            for file in ["config.json", "model.safetensors"] {
                try fm.copyItem(at: TestSupport.fixtureURL(fixture).appendingPathComponent(file), to: dir.appendingPathComponent(file))
            }
            for file in ["vocab.txt", "tokenizer_config.json"] {
                try fm.copyItem(at: vocab.appendingPathComponent(file), to: dir.appendingPathComponent(file))
            }
            return dir
        }
        return (
            try folder("embedder", from: "tiny-bert-wordpiece"), try folder("classifier", from: "tiny-bert-seqcls"),
            try folder("tagger", from: "tiny-bert-tokcls")
        )
    }

    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("finch-server-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// A fixture with models `mini` (embedder), `sentiment` (classifier), `ner` (tagger); `adjust` changes the configuration.
    init(adjust: (inout ServerConfiguration) -> Void = { _ in }) async throws {
        root = try Self.temporaryDirectory()
        let folders = try Self.modelFolders(in: root)
        var config = ServerConfiguration()
        config.port = 0
        config.dataDirectory = root.appendingPathComponent("data").path
        config.runsDirectory = root.appendingPathComponent("runs").path
        config.models = [
            .init(name: "mini", path: folders.embedder.path), .init(name: "sentiment", path: folders.classifier.path),
            .init(name: "ner", path: folders.tagger.path),
        ]
        config.logLevel = "info"
        adjust(&config)
        configuration = config
        store = try SQLiteStore(path: config.sqlitePath)
        var keys: [String] = []
        for scope in [APIKeyScope.read, .write, .admin] {
            let (key, record) = APIKeyHasher.generate(name: "test-\(scope.rawValue)", scope: scope)
            try await store.insert(record)
            keys.append(key)
        }
        (readKey, writeKey, adminKey) = (keys[0], keys[1], keys[2])
        logLines = LogLines()
    }

    func app() async throws -> some ApplicationProtocol {
        let lines = logLines
        return try await buildApplication(configuration: configuration, store: store, logSink: { lines.append($0) })
    }

    func remove() { try? FileManager.default.removeItem(at: root) }
}

/// Log lines captured from the app.
final class LogLines: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    func append(_ line: String) { lock.withLock { lines.append(line) } }
    var all: [String] { lock.withLock { lines } }
}

extension TestClientProtocol {
    /// Sends `json` (an object or array, serialized) with `key` as the bearer token.
    @discardableResult
    func send(_ method: HTTPRequest.Method, _ uri: String, key: String?, json: Any? = nil, raw: String? = nil) async throws -> TestResponse
    {
        var headers: HTTPFields = [:]
        if let key { headers[.authorization] = "Bearer \(key)" }
        var body: ByteBuffer? = nil
        if let json {
            headers[.contentType] = "application/json"
            body = ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: json))
        } else if let raw {
            headers[.contentType] = "application/json"
            body = ByteBuffer(string: raw)
        }
        return try await execute(uri: uri, method: method, headers: headers, body: body)
    }
}

extension TestResponse {
    /// The body parsed as JSON.
    func json() throws -> Any {
        try JSONSerialization.jsonObject(with: Data(buffer: body), options: [.fragmentsAllowed])
    }

    /// The body as a JSON object.
    func object() throws -> [String: Any] { try #require(try json() as? [String: Any]) }

    /// `{"error": {"code", "message", "field"}}`: code, message and field.
    func apiError() throws -> (code: String, message: String, field: String?) {
        let error = try #require(try object()["error"] as? [String: Any])
        let code = try #require(error["code"] as? String)
        let message = try #require(error["message"] as? String)
        #expect(error.keys.contains("field"), "the error shape always has field")
        return (code, message, error["field"] as? String)
    }
}

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Requests on their own connections (the live test client sends one at a
/// time), for tests that need requests truly in flight together.
enum LoopbackHTTP {
    struct Reply: Sendable {
        var status: Int
        var headers: [String: String]
        var body: Data

        func object() throws -> [String: Any] { try #require(try JSONSerialization.jsonObject(with: body) as? [String: Any]) }
    }

    static func post(port: Int, _ path: String, key: String, json: [String: any Sendable]) async throws -> Reply {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
        request.httpMethod = "POST"
        request.setValue("Bearer \(key)", forHTTPHeaderField: "Authorization")
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = try JSONSerialization.data(withJSONObject: json)
        let (data, response) = try await URLSession.shared.data(for: request)
        let http = try #require(response as? HTTPURLResponse)
        var headers: [String: String] = [:]
        for (k, v) in http.allHeaderFields { headers[String(describing: k).lowercased()] = String(describing: v) }
        return Reply(status: http.statusCode, headers: headers, body: data)
    }
}
