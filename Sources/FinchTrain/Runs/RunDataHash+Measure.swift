import FinchSupport
import FinchTransformers
import Foundation

extension RunDataHash {
    /// Hashes the file at `path`, or, for a folder (an image folder per class), every file under
    /// it: the SHA-256 of the lines `<relative path> <file's SHA-256>` in path order, so renaming,
    /// adding or changing any file changes it.
    ///
    /// - Throws: `DataError.unreadableFile` naming the file that cannot be read.
    public static func measure(role: String, path: String) throws -> RunDataHash {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            throw DataError.unreadableFile(file: path, reason: "no such file or folder")
        }
        guard isFolder.boolValue else { return RunDataHash(role: role, path: path, sha256: try fileHash(path)) }
        let root = URL(fileURLWithPath: path)
        guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey]) else {
            throw DataError.unreadableFile(file: path, reason: "cannot list the folder")
        }
        var files: [String] = []
        for case let url as URL in walker {
            let regular: Bool
            do { regular = try url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile == true } catch {
                throw DataError.unreadableFile(file: url.path, reason: SystemReason.describe(error))
            }
            if regular { files.append(String(url.standardizedFileURL.path.dropFirst(root.standardizedFileURL.path.count + 1))) }
        }
        var listing = ""
        for file in files.sorted() { listing += "\(file) \(try fileHash(root.appendingPathComponent(file).path))\n" }
        var digest = SHA256Digest()
        Data(listing.utf8).withUnsafeBytes { digest.update($0) }
        return RunDataHash(role: role, path: path, sha256: digest.finalizeHex())
    }

    static func fileHash(_ path: String) throws -> String {
        try DataFileRecord.measure(role: "", path: path, rows: 0).sha256
    }
}
