import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes whole files so that a reader (or a crash) never sees half of one:
/// the bytes go to a temporary file in the same directory, are flushed to
/// disk, and the temporary file is renamed over the target (`rename(2)` is
/// atomic within a file system).
enum AtomicFile {
    /// Replaces the file at `url` with `data`.
    static func write(_ data: Data, to url: URL) throws {
        let directory = url.deletingLastPathComponent()
        let temporary = directory.appendingPathComponent(".\(url.lastPathComponent).tmp-\(UUID().uuidString)")
        let fd = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        if fd < 0 { throw failure(url) }
        var closed = false
        defer {
            if !closed { close(fd) }
        }
        do {
            try writeAll(data, to: fd, url: url)
            if fsync(fd) != 0 { throw failure(url) }
            closed = true
            if close(fd) != 0 { throw failure(url) }
            if rename(temporary.path, url.path) != 0 { throw failure(url) }
        } catch {
            unlink(temporary.path)
            throw error
        }
    }

    /// Writes all of `data` to the descriptor, retrying short and
    /// interrupted writes.
    static func writeAll(_ data: Data, to fd: Int32, url: URL) throws {
        try data.withUnsafeBytes { raw in
            guard let base = raw.baseAddress else { return }
            var offset = 0
            while offset < raw.count {
                let n = systemWrite(fd, base + offset, raw.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    throw failure(url)
                }
                offset += n
            }
        }
    }

    /// The `cannotWrite` error for the current `errno`.
    static func failure(_ url: URL) -> MetricsLogError {
        MetricsLogError.cannotWrite(file: url.path, reason: String(cString: strerror(errno)))
    }
}

/// `write(2)`, named apart from `AtomicFile.write`.
private func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    write(fd, buffer, count)
}
