import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writes whole files so that a reader (or a crash) never sees half of one:
/// the bytes go to a temporary file in the same directory, are flushed to
/// disk, and the temporary file is renamed over the target (`rename(2)` is
/// atomic within a file system). On failure the temporary file is removed and
/// the target is left as it was.
public enum AtomicFile {
    /// Replaces the file at `url` with `data`.
    /// - Throws: `FileWriteError.cannotWrite` naming `url`'s path.
    public static func write(_ data: Data, to url: URL) throws(FileWriteError) {
        do {
            try write(to: url) { output in try output.write(data) }
        } catch let error as FileWriteError {
            throw error
        } catch {
            throw .cannotWrite(path: url.path, reason: "\(error)")
        }
    }

    /// Replaces the file at `url` with what `body` writes to the output it is
    /// given. Errors thrown by `body` leave the target untouched and are
    /// rethrown; system failures are `FileWriteError.cannotWrite`.
    public static func write(to url: URL, _ body: (FileOutput) throws -> Void) throws {
        let path = url.path
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).tmp-\(UUID().uuidString)").path
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        if fd < 0 { throw FileOutput.failure(path) }
        var failure: (any Error)?
        do {
            try body(FileOutput(descriptor: fd, path: path))
            if fsync(fd) != 0 { throw FileOutput.failure(path) }
        } catch {
            failure = error
        }
        if close(fd) != 0, failure == nil { failure = FileOutput.failure(path) }
        if failure == nil, rename(temporary, path) != 0 { failure = FileOutput.failure(path) }
        if let failure {
            unlink(temporary)
            throw failure
        }
    }
}
