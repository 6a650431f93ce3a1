import Foundation

/// What `--model` names: a local directory in Hugging Face layout, or a hub
/// repository written `hf:ORG/NAME` or `hf:ORG/NAME@revision` (branch, tag
/// or commit; default `main`), downloaded into the cache on first use.
public enum ModelReference: Equatable, Sendable, CustomStringConvertible {
    /// A directory on this machine.
    case directory(URL)
    /// A hub repository at a revision.
    case hub(repository: String, revision: String)

    /// The prefix that marks a hub reference.
    public static let hubPrefix = "hf:"

    /// Parses `--model` text. Anything without the `hf:` prefix is a path
    /// (`~` expanded); a hub name is one or two segments of letters, digits,
    /// `-`, `_` and `.` (never `..`).
    public init(parsing text: String) throws(HubError) {
        guard text.hasPrefix(Self.hubPrefix) else {
            guard !text.isEmpty else { throw .invalidReference(text, reason: "empty") }
            self = .directory(URL(fileURLWithPath: (text as NSString).expandingTildeInPath, isDirectory: true))
            return
        }
        let body = text.dropFirst(Self.hubPrefix.count)
        let parts = body.split(separator: "@", maxSplits: 1, omittingEmptySubsequences: false)
        let repository = String(parts[0])
        let revision = parts.count == 2 ? String(parts[1]) : "main"
        let segments = repository.split(separator: "/", omittingEmptySubsequences: false)
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-_."))
        guard (1...2).contains(segments.count),
            segments.allSatisfy({
                !$0.isEmpty && $0 != "." && $0 != ".." && !$0.hasPrefix("-")
                    && $0.unicodeScalars.allSatisfy { allowed.contains($0) && $0.isASCII }
            })
        else {
            throw .invalidReference(text, reason: "expected hf:ORG/NAME or hf:ORG/NAME@revision")
        }
        guard !revision.isEmpty, !revision.split(separator: "/").contains(where: { $0 == ".." || $0 == "." }),
            !revision.contains(where: { $0.isWhitespace })
        else {
            throw .invalidReference(text, reason: "invalid revision \"\(revision)\"")
        }
        self = .hub(repository: repository, revision: revision)
    }

    /// A readable message for the user.
    public var description: String {
        switch self {
        case .directory(let url): return url.path
        case let .hub(repository, revision): return Self.hubPrefix + repository + (revision == "main" ? "" : "@" + revision)
        }
    }

    /// The local directory to load: the directory itself (which must
    /// exist), or the verified cached snapshot of the hub repository,
    /// downloaded by `hub` (default: `HubClient.fromEnvironment()`) if needed.
    public func resolve(
        hub: HubClient? = nil,
        progress: (@Sendable (HubEvent) -> Void)? = nil
    ) async throws -> URL {
        switch self {
        case .directory(let url):
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw HubError.notADirectory(path: url.path)
            }
            return url
        case let .hub(repository, revision):
            let client = try hub ?? HubClient.fromEnvironment()
            return try await client.snapshot(repository: repository, revision: revision, progress: progress)
        }
    }
}
