import FinchSupport
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The on-disk cache of one repository, laid out like Hugging Face's:
/// `models--ORG--NAME/refs/{revision}` holds a commit,
/// `snapshots/{commit}/…` the verified files, `tmp/` downloads in flight.
/// A snapshot is complete once `.finch-manifest.json` (written last) lists
/// every file with its size and checksum and every file has that size.
struct HubCache {
    struct ManifestEntry: Codable, Equatable {
        let size: Int
        let checksum: String
        let algorithm: String
    }

    struct Manifest: Codable {
        let commit: String
        let files: [String: ManifestEntry]
    }

    static let manifestName = ".finch-manifest.json"

    let directory: URL

    init(root: URL, repository: String) {
        directory = root.appendingPathComponent("models--" + repository.replacingOccurrences(of: "/", with: "--"), isDirectory: true)
    }

    func snapshotDirectory(commit: String) -> URL {
        directory.appendingPathComponent("snapshots", isDirectory: true).appendingPathComponent(commit, isDirectory: true)
    }

    private func refURL(_ revision: String) -> URL {
        directory.appendingPathComponent("refs").appendingPathComponent(HubClient.encode(revision))
    }

    /// The complete snapshot `revision` points to (a commit is its own ref), if any.
    func completeSnapshot(revision: String) -> URL? {
        var commit = revision
        if !HubClient.isHex(revision, length: 40) {
            guard let data = FileManager.default.contents(atPath: refURL(revision).path) else { return nil }
            commit = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            guard HubClient.isHex(commit, length: 40) else { return nil }
        }
        let snapshot = snapshotDirectory(commit: commit)
        return isComplete(snapshot) ? snapshot : nil
    }

    /// True when the manifest exists and every listed file has its size.
    func isComplete(_ snapshot: URL) -> Bool {
        guard let data = FileManager.default.contents(atPath: snapshot.appendingPathComponent(Self.manifestName).path),
            let manifest = try? JSONDecoder().decode(Manifest.self, from: data)  // a damaged manifest means "download again"
        else { return false }
        return manifest.files.allSatisfy { fileSize(snapshot.appendingPathComponent($0.key)) == $0.value.size }
    }

    func fileSize(_ url: URL) -> Int? {
        var st = stat()
        guard stat(url.path, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { return nil }
        return Int(st.st_size)
    }

    /// A fresh name under `tmp/` for a download in flight.
    func temporaryFile() throws(HubError) -> URL {
        let tmp = directory.appendingPathComponent("tmp")
        do { try FileManager.default.createDirectory(at: tmp, withIntermediateDirectories: true) } catch {
            throw .cacheUnwritable(path: tmp.path, reason: "\(error)")
        }
        return tmp.appendingPathComponent(UUID().uuidString + ".incomplete")
    }

    /// Moves a verified download into place (rename, atomic on one file system).
    func place(_ temporary: URL, at destination: URL) throws(HubError) {
        do {
            try FileManager.default.createDirectory(at: destination.deletingLastPathComponent(), withIntermediateDirectories: true)
        } catch {
            throw .cacheUnwritable(path: destination.path, reason: "\(error)")
        }
        guard rename(temporary.path, destination.path) == 0 else {
            throw .cacheUnwritable(path: destination.path, reason: String(cString: strerror(errno)))
        }
    }

    func writeManifest(_ files: [String: ManifestEntry], commit: String, in snapshot: URL) throws(HubError) {
        let url = snapshot.appendingPathComponent(Self.manifestName)
        do {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try AtomicFile.write(encoder.encode(Manifest(commit: commit, files: files)), to: url)
        } catch {
            throw .cacheUnwritable(path: url.path, reason: "\(error)")
        }
    }

    func writeRef(revision: String, commit: String) throws(HubError) {
        guard revision != commit else { return }
        let url = refURL(revision)
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try AtomicFile.write(Data(commit.utf8), to: url)
        } catch {
            throw .cacheUnwritable(path: url.path, reason: "\(error)")
        }
    }
}
