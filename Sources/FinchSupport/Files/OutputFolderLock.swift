import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// An exclusive lock on an output folder, so two runs never write into the
/// same folder at once: `flock(2)` on the file `.finch.lock` inside it. The
/// lock is released when the object is freed, or by the
/// system when the process ends (a killed run leaves no stale lock; the
/// empty lock file stays and is reused).
public final class OutputFolderLock: Sendable {
    /// The name of the lock file inside a locked folder.
    public static let fileName = ".finch.lock"

    /// The locked folder.
    public let folder: URL
    private let descriptor: Int32

    /// Locks `folder`, creating it (and its parents) if needed.
    /// - Throws: `FileWriteError.folderLocked` when another process (or
    ///   another lock in this one) holds it, `.cannotWrite` when the folder or
    ///   the lock file cannot be created.
    public init(_ folder: URL) throws(FileWriteError) {
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw .cannotWrite(path: folder.path, reason: SystemReason.describe(error))
        }
        let path = folder.appendingPathComponent(Self.fileName).path
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        if fd < 0 { throw FileOutput.failure(path) }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let busy = errno == EWOULDBLOCK
            let failure = FileOutput.failure(path)
            close(fd)
            throw busy ? .folderLocked(folder: folder.path) : failure
        }
        self.folder = folder
        self.descriptor = fd
    }

    /// Releases the lock now (closing the descriptor releases it).
    deinit { close(descriptor) }
}
