import Foundation

/// Downloads model repositories from a Hugging Face hub (or anything serving
/// its URL layout) into a local cache, verifying every file.
///
/// For `snapshot(repository:revision:)` it
/// 1. lists the repository at the revision:
///    `GET {endpoint}/api/models/{repo}/revision/{revision}?blobs=true`
///    (the commit `sha` and every file's size, git blob id and LFS sha256);
/// 2. keeps the files Finch loads (`*.json`, `*.txt`, `*.safetensors`,
///    `*.model` at the top level or in sentence-transformers module folders
///    such as `1_Pooling/`);
/// 3. for each, asks `HEAD {endpoint}/{repo}/resolve/{commit}/{file}` without
///    following redirects and reads size and checksum as `huggingface_hub`
///    does (`X-Linked-Size`, `X-Linked-Etag`, else `Content-Length`,
///    `ETag`), cross-checked with the listing;
/// 4. streams `GET …/resolve/{commit}/{file}` to a temporary file while
///    hashing it (SHA-256 for LFS files, git's blob SHA-1 for the others),
///    and only when size and hash match renames it into
///    `{cache}/models--ORG--NAME/snapshots/{commit}/{file}`; a short,
///    long or corrupt transfer is deleted and reported;
/// 5. writes a manifest and `refs/{revision}` last, so a snapshot is either
///    complete or not used.
/// When the hub cannot be reached, a complete snapshot already cached for
/// the revision is used instead.
public struct HubClient: Sendable {
    /// `https://huggingface.co`.
    public static let defaultEndpoint = URL(string: "https://huggingface.co")!

    /// Base URL of the hub.
    public var endpoint: URL
    /// Directory holding `models--ORG--NAME` folders.
    public var cacheDirectory: URL
    /// Bearer token for private or gated repositories.
    public var token: String?

    /// A client with explicit settings.
    public init(endpoint: URL = HubClient.defaultEndpoint, cacheDirectory: URL, token: String? = nil) {
        self.endpoint = endpoint
        self.cacheDirectory = cacheDirectory
        self.token = token
    }

    /// Settings from the environment: `FINCH_HUB_ENDPOINT` (default
    /// huggingface.co), `FINCH_CACHE` (Finch's cache root, default
    /// `$XDG_CACHE_HOME/finch` or `~/.cache/finch`; the hub cache is its
    /// `hub` folder) and `HF_TOKEN`. A `FINCH_HUB_ENDPOINT` that is not an
    /// absolute http(s) URL with a host is an error, never a silent fallback.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws -> HubClient {
        var endpoint = defaultEndpoint
        if let text = environment["FINCH_HUB_ENDPOINT"], !text.isEmpty {
            guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
                let host = url.host, !host.isEmpty
            else {
                throw HubError.invalidEndpoint(text, reason: "not an absolute http:// or https:// URL with a host")
            }
            endpoint = url
        }
        let root: URL
        if let dir = environment["FINCH_CACHE"], !dir.isEmpty {
            root = URL(fileURLWithPath: dir, isDirectory: true)
        } else if let xdg = environment["XDG_CACHE_HOME"], !xdg.isEmpty {
            root = URL(fileURLWithPath: xdg, isDirectory: true).appendingPathComponent("finch")
        } else {
            root = FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache/finch")
        }
        let token = environment["HF_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
        return HubClient(endpoint: endpoint, cacheDirectory: root.appendingPathComponent("hub"), token: token)
    }

    /// True for the files of a repository Finch downloads.
    public static func wantsFile(_ path: String) -> Bool {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 1 || (parts.count == 2 && parts[0].first?.isNumber == true && parts[0].contains("_")) else {
            return false
        }
        guard let name = parts.last, !name.isEmpty, !name.hasPrefix("."), let dot = name.lastIndex(of: ".") else { return false }
        return ["json", "txt", "safetensors", "model"].contains(String(name[name.index(after: dot)...]))
    }

    /// The local directory of `repository` (`ORG/NAME`) at `revision`
    /// (branch, tag or commit), downloading and verifying what is missing.
    /// `progress` receives events as the work goes.
    public func snapshot(
        repository: String, revision: String = "main",
        progress: (@Sendable (HubEvent) -> Void)? = nil
    ) async throws -> URL {
        let cache = HubCache(root: cacheDirectory, repository: repository)
        let fetched: Result<HubListing, HubError>
        do { fetched = .success(try await fetchListing(repository: repository, revision: revision)) } catch {
            fetched = .failure(error)
        }
        if case .failure(.transport) = fetched, let cached = cache.completeSnapshot(revision: revision) {
            // The hub is unreachable: a complete snapshot cached for this revision will do.
            progress?(.usingCachedSnapshot(cached.lastPathComponent))
            return cached
        }
        let listing = try fetched.get()
        let files = listing.siblings.filter { Self.wantsFile($0.rfilename) }
        guard files.contains(where: { $0.rfilename == Checkpoint.configFileName }) else {
            throw HubError.noUsableFiles(repository: repository, revision: revision)
        }
        let snapshot = cache.snapshotDirectory(commit: listing.sha)
        if cache.isComplete(snapshot) {
            try cache.writeRef(revision: revision, commit: listing.sha)
            progress?(.usingCachedSnapshot(listing.sha))
            return snapshot
        }
        var manifest: [String: HubCache.ManifestEntry] = [:]
        for sibling in files {
            let file = sibling.rfilename
            let url = fileURL(repository: repository, commit: listing.sha, path: file)
            let (size, checksum) = try await metadata(
                url: url, repository: repository, file: file, sibling: sibling, commit: listing.sha)
            manifest[file] = HubCache.ManifestEntry(size: size, checksum: checksum.value, algorithm: checksum.algorithm)
            let destination = snapshot.appendingPathComponent(file)
            if cache.fileSize(destination) == size { continue }  // placed only after verification
            progress?(.downloading(file: file, size: size))
            let temporary = try cache.temporaryFile()
            do {
                let response = try await HubTransport.download(
                    url, headers: authorization, to: temporary, checksum: checksum,
                    progress: progress.map { p in { @Sendable received in p(.received(file: file, bytes: received, of: size)) } })
                try check(response.status, repository: repository, revision: listing.sha, url: url)
                guard response.received == size else {
                    throw HubError.sizeMismatch(file: file, expected: size, received: response.received)
                }
                guard let digest = response.digest, digest == checksum.value else {
                    throw HubError.checksumMismatch(
                        file: file, algorithm: checksum.algorithm, expected: checksum.value,
                        actual: response.digest ?? "none")
                }
                try cache.place(temporary, at: destination)
            } catch {
                try? FileManager.default.removeItem(at: temporary)
                throw error
            }
            progress?(.verified(file: file))
        }
        try cache.writeManifest(manifest, commit: listing.sha, in: snapshot)
        try cache.writeRef(revision: revision, commit: listing.sha)
        return snapshot
    }

    var authorization: [String: String] { token.map { ["Authorization": "Bearer \($0)"] } ?? [:] }

    func fileURL(repository: String, commit: String, path: String) -> URL {
        let encodedPath = path.split(separator: "/").map { Self.encode(String($0)) }.joined(separator: "/")
        return URL(string: endpoint.absoluteString.trimmingSuffix("/") + "/\(repository)/resolve/\(Self.encode(commit))/\(encodedPath)")!
    }

    static func encode(_ segment: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return segment.addingPercentEncoding(withAllowedCharacters: allowed) ?? segment
    }

    func check(_ status: Int, repository: String, revision: String, url: URL) throws(HubError) {
        switch status {
        case 200..<300: return
        case 401, 403: throw .unauthorized(repository: repository)
        case 404: throw .notFound(repository: repository, revision: revision)
        default: throw .httpStatus(url: url.absoluteString, status: status)
        }
    }

    func fetchListing(repository: String, revision: String) async throws(HubError) -> HubListing {
        let base = endpoint.absoluteString.trimmingSuffix("/")
        let url = URL(string: base + "/api/models/\(repository)/revision/\(Self.encode(revision))?blobs=true")!
        let response = try await HubTransport.get(url, headers: authorization)
        try check(response.status, repository: repository, revision: revision, url: url)
        let listing: HubListing
        do {
            listing = try JSONDecoder().decode(HubListing.self, from: response.body)
        } catch let error as DecodingError {
            throw .invalidListing(url: url.absoluteString, reason: Checkpoint.describe(error))
        } catch {
            throw .invalidListing(url: url.absoluteString, reason: "\(error)")
        }
        guard Self.isHex(listing.sha.lowercased(), length: 40) else {
            throw .invalidListing(url: url.absoluteString, reason: "commit sha \(listing.sha) is not 40 hex digits")
        }
        return listing
    }

    /// Size and checksum of `file` from its HEAD headers, cross-checked with
    /// (and completed from) the listing entry.
    func metadata(url: URL, repository: String, file: String, sibling: HubListing.Sibling, commit: String) async throws(HubError)
        -> (Int, ExpectedChecksum)
    {
        let head = try await HubTransport.head(url, headers: authorization)
        if !(200..<400).contains(head.status) { try check(head.status, repository: repository, revision: commit, url: url) }
        if let headerCommit = head.header("X-Repo-Commit"), headerCommit != commit {
            throw .metadataMismatch(file: file, field: "commit", listing: commit, headers: headerCommit)
        }
        let etag = (head.header("X-Linked-Etag") ?? head.header("ETag")).map(Self.normalizeETag)
        let headerSize = (head.header("X-Linked-Size") ?? (head.status == 200 ? head.header("Content-Length") : nil))
            .flatMap { Int($0) }
        let listingSize = sibling.lfs?.size ?? sibling.size
        if let h = headerSize, let l = listingSize, h != l {
            throw .metadataMismatch(file: file, field: "size", listing: String(l), headers: String(h))
        }
        guard let size = headerSize ?? listingSize else { throw .missingMetadata(file: file, what: "size") }
        var sha256 = etag.flatMap { Self.isHex($0, length: 64) ? $0 : nil }
        var blob = etag.flatMap { Self.isHex($0, length: 40) ? $0 : nil }
        if let l = sibling.lfs?.sha256?.lowercased() {
            if let h = sha256, h != l { throw .metadataMismatch(file: file, field: "sha256", listing: l, headers: h) }
            sha256 = l
        } else if let l = sibling.blobId?.lowercased() {
            if let h = blob, h != l { throw .metadataMismatch(file: file, field: "blob id", listing: l, headers: h) }
            blob = blob ?? l
        }
        if let sha256 { return (size, .sha256(sha256)) }
        if let blob { return (size, .gitBlob(blob, size: size)) }
        throw .missingMetadata(file: file, what: "sha256 or git blob id")
    }

    /// `W/"abc"` → `abc`, lowercased.
    static func normalizeETag(_ etag: String) -> String {
        var s = Substring(etag)
        if s.hasPrefix("W/") { s = s.dropFirst(2) }
        return s.trimmingCharacters(in: CharacterSet(charactersIn: "\"")).lowercased()
    }

    static func isHex(_ s: String, length: Int) -> Bool {
        s.utf8.count == length && s.utf8.allSatisfy { ($0 >= 48 && $0 <= 57) || ($0 >= 97 && $0 <= 102) }
    }
}

/// Progress of `HubClient.snapshot`.
public enum HubEvent: Sendable, Equatable {
    /// A complete cached snapshot (this commit) is used.
    case usingCachedSnapshot(String)
    /// A file starts downloading.
    case downloading(file: String, size: Int)
    /// Bytes of the file received so far.
    case received(file: String, bytes: Int, of: Int)
    /// The file's size and checksum matched; it is in the cache.
    case verified(file: String)
}

/// The hub's repository listing (only the fields Finch uses).
struct HubListing: Decodable {
    struct LFS: Decodable {
        let sha256: String?
        let size: Int?
    }

    struct Sibling: Decodable {
        let rfilename: String
        let size: Int?
        let blobId: String?
        let lfs: LFS?
    }

    let sha: String
    let siblings: [Sibling]
}

extension String {
    func trimmingSuffix(_ suffix: String) -> String {
        var s = self
        while s.hasSuffix(suffix) { s.removeLast(suffix.count) }
        return s
    }
}
