import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads a file in fixed-size chunks so readers never hold more than one
/// chunk of raw bytes (plus the record being parsed). A UTF-8 byte-order mark
/// at the start of the file is dropped.
public enum ByteChunks {
    /// Bytes read per system call: large enough that the call cost vanishes,
    /// small enough to stay in cache.
    public static let chunkSize = 1 << 20

    /// Calls `body` with each chunk of `url`'s contents, in order. Returns
    /// the number of bytes passed to `body` (0 for an empty file, or one that
    /// holds only a byte-order mark).
    ///
    /// - Parameter file: the name used in errors.
    @discardableResult
    public static func forEach(
        in url: URL, file: String, _ body: (UnsafeBufferPointer<UInt8>) throws -> Void
    ) throws -> Int {
        let fd = open(url.path, O_RDONLY)
        if fd < 0 { throw DataError.unreadableFile(file: file, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: chunkSize)
        defer { buffer.deallocate() }
        var total = 0
        var first = true
        while true {
            let n = read(fd, buffer, chunkSize)
            if n < 0 {
                if errno == EINTR { continue }
                throw DataError.unreadableFile(file: file, reason: String(cString: strerror(errno)))
            }
            if n == 0 { break }
            var bytes = UnsafeBufferPointer(start: buffer, count: n)
            if first, n >= 3, buffer[0] == 0xEF, buffer[1] == 0xBB, buffer[2] == 0xBF {
                bytes = UnsafeBufferPointer(start: buffer + 3, count: n - 3)
            }
            first = false
            if bytes.count > 0 {
                total += bytes.count
                try body(bytes)
            }
        }
        return total
    }
}
