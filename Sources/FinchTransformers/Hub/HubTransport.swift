import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// What one HTTP exchange gave back.
struct HubResponse: Sendable {
    /// Status code (a 3xx when redirects were not followed).
    let status: Int
    /// Response headers, keys lowercased.
    let headers: [String: String]
    /// The body when it was kept in memory (listings, error pages).
    let body: Data
    /// Bytes written to the file for streamed downloads.
    let received: Int
    /// Hex digest of the streamed bytes.
    let digest: String?

    func header(_ name: String) -> String? { headers[name.lowercased()] }
}

/// How a streamed body is checked while it is written.
enum ExpectedChecksum: Equatable, Sendable {
    /// SHA-256 of the content (hub large-file-storage blobs).
    case sha256(String)
    /// Git blob id (SHA-1 over "blob <size>\0" + content) of a file of `size` bytes.
    case gitBlob(String, size: Int)

    var algorithm: String {
        switch self {
        case .sha256: return "sha256"
        case .gitBlob: return "git blob sha1"
        }
    }

    var value: String {
        switch self {
        case let .sha256(v), let .gitBlob(v, _): return v
        }
    }

    func makeDigest() -> any StreamingDigest {
        switch self {
        case .sha256: return SHA256Digest()
        case let .gitBlob(_, size): return GitBlobDigest(size: size)
        }
    }
}

/// HTTP through URLSession (FoundationNetworking on Linux): HEAD without
/// following redirects (the hub puts file metadata on the first response),
/// small GETs into memory, and large GETs streamed to a file and hashed on
/// the way.
enum HubTransport {
    static func request(_ url: URL, method: String, headers: [String: String]) -> URLRequest {
        var r = URLRequest(url: url, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: 60)
        r.httpMethod = method
        r.setValue("identity", forHTTPHeaderField: "Accept-Encoding")
        r.setValue("finch/0.1", forHTTPHeaderField: "User-Agent")
        for (k, v) in headers { r.setValue(v, forHTTPHeaderField: k) }
        return r
    }

    /// HEAD `url`; redirects are reported, not followed.
    static func head(_ url: URL, headers: [String: String]) async throws(HubError) -> HubResponse {
        try await perform(request(url, method: "HEAD", headers: headers), followRedirects: false, sink: nil)
    }

    /// GET `url` into memory (redirects followed).
    static func get(_ url: URL, headers: [String: String]) async throws(HubError) -> HubResponse {
        try await perform(request(url, method: "GET", headers: headers), followRedirects: true, sink: nil)
    }

    /// GET `url` streamed into `file` (created or truncated), hashing the
    /// bytes as `checksum` says; `progress` gets the running byte count.
    static func download(
        _ url: URL, headers: [String: String], to file: URL, checksum: ExpectedChecksum,
        progress: (@Sendable (Int) -> Void)?
    ) async throws(HubError) -> HubResponse {
        guard FileManager.default.createFile(atPath: file.path, contents: nil) else {
            throw .cacheUnwritable(path: file.path, reason: "cannot create the temporary file")
        }
        let handle: FileHandle
        do { handle = try FileHandle(forWritingTo: file) } catch {
            throw .cacheUnwritable(path: file.path, reason: "\(error)")
        }
        defer { try? handle.close() }
        let sink = FileSink(handle: handle, digest: checksum.makeDigest(), progress: progress)
        return try await perform(request(url, method: "GET", headers: headers), followRedirects: true, sink: sink)
    }

    private static func perform(_ request: URLRequest, followRedirects: Bool, sink: FileSink?) async throws(HubError) -> HubResponse {
        let delegate = TransferDelegate(followRedirects: followRedirects, sink: sink)
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = 60
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        let session = URLSession(configuration: configuration, delegate: delegate, delegateQueue: nil)
        defer { session.finishTasksAndInvalidate() }
        let outcome = await withCheckedContinuation { (continuation: CheckedContinuation<TransferDelegate.Outcome, Never>) in
            delegate.start(session.dataTask(with: request), continuation)
        }
        let url = request.url?.absoluteString ?? "?"
        if let failure = outcome.sinkFailure { throw .cacheUnwritable(path: url, reason: failure) }
        guard let response = outcome.response else {
            throw .transport(url: url, reason: outcome.error.map { "\($0.localizedDescription)" } ?? "no response")
        }
        var headers: [String: String] = [:]
        for (k, v) in response.allHeaderFields {
            if let k = k as? String, let v = v as? String { headers[k.lowercased()] = v }
        }
        let result = HubResponse(
            status: response.statusCode, headers: headers, body: outcome.body,
            received: outcome.received, digest: outcome.digest)
        if let error = outcome.error, !(sink != nil && response.statusCode == 200) {
            // A streamed 200 body cut short is left to the caller, which reports it by size.
            throw .transport(url: url, reason: error.localizedDescription)
        }
        return result
    }
}

/// Where streamed bytes go.
final class FileSink: @unchecked Sendable {
    let handle: FileHandle
    var digest: any StreamingDigest
    let progress: (@Sendable (Int) -> Void)?
    var received = 0

    init(handle: FileHandle, digest: any StreamingDigest, progress: (@Sendable (Int) -> Void)?) {
        self.handle = handle
        self.digest = digest
        self.progress = progress
    }
}

/// URLSession callbacks for one request. URLSession calls a session's
/// delegate serially; the lock guards the hand-over to the awaiting task.
final class TransferDelegate: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    struct Outcome: Sendable {
        var response: HTTPURLResponse?
        var error: (any Error)?
        var body = Data()
        var received = 0
        var digest: String?
        var sinkFailure: String?
    }

    private let followRedirects: Bool
    private let sink: FileSink?
    private let lock = NSLock()
    private var outcome = Outcome()
    private var continuation: CheckedContinuation<Outcome, Never>?

    init(followRedirects: Bool, sink: FileSink?) {
        self.followRedirects = followRedirects
        self.sink = sink
    }

    func start(_ task: URLSessionDataTask, _ continuation: CheckedContinuation<Outcome, Never>) {
        lock.lock()
        self.continuation = continuation
        lock.unlock()
        task.resume()
    }

    func urlSession(
        _ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
        newRequest request: URLRequest, completionHandler: @escaping (URLRequest?) -> Void
    ) {
        guard followRedirects else { return completionHandler(nil) }
        var next = request
        if next.url?.host != task.originalRequest?.url?.host {
            // The hub's token is for the hub only, not for the storage host it redirects to.
            next.setValue(nil, forHTTPHeaderField: "Authorization")
        }
        completionHandler(next)
    }

    func urlSession(
        _ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
        completionHandler: @escaping (URLSession.ResponseDisposition) -> Void
    ) {
        outcome.response = response as? HTTPURLResponse
        completionHandler(.allow)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        guard let sink, outcome.response?.statusCode == 200 else {
            if outcome.body.count < 1 << 24 { outcome.body.append(data) }
            return
        }
        do {
            try sink.handle.write(contentsOf: data)
        } catch {
            outcome.sinkFailure = "\(error)"
            dataTask.cancel()
            return
        }
        data.withUnsafeBytes { sink.digest.update($0) }
        sink.received += data.count
        sink.progress?(sink.received)
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        if outcome.response == nil { outcome.response = task.response as? HTTPURLResponse }
        outcome.error = error
        if let sink {
            outcome.received = sink.received
            outcome.digest = sink.digest.finalizeHex()
        }
        lock.lock()
        let c = continuation
        continuation = nil
        lock.unlock()
        c?.resume(returning: outcome)
    }
}
