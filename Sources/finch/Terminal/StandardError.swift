#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Standard error for messages, progress and errors. Unlike
/// `FileHandle.standardError.write`, which traps when the write fails, a
/// failed write here is dropped: stderr on a full disk or a closed pipe has
/// nowhere left to report to, and the command's result and exit status must
/// not depend on it.
enum StandardError {
    /// Writes `text` as is (no newline added).
    static func write(_ text: String) {
        var text = text
        text.withUTF8 { bytes in
            guard var next = bytes.baseAddress else { return }
            var left = bytes.count
            while left > 0 {
                #if canImport(Glibc)
                    let written = Glibc.write(STDERR_FILENO, next, left)
                #else
                    let written = Darwin.write(STDERR_FILENO, next, left)
                #endif
                if written < 0 && errno == EINTR { continue }
                if written <= 0 { return }
                next += written
                left -= written
            }
        }
    }
}
