import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A failed write to standard output: the result is lost, so the command fails.
struct OutputError: Error, CustomStringConvertible {
    /// The `errno` of the failed `write(2)`.
    var code: Int32

    var description: String {
        let reason = String(cString: strerror(code))
        return code == EPIPE
            ? "cannot write to standard output: \(reason) (the reader stopped)"
            : "cannot write to standard output: \(reason)"
    }
}

/// Standard output that cannot lose a result silently. Every write goes
/// straight to file descriptor 1 (no buffer left to flush at exit) and throws
/// `OutputError` when the system refuses it (a full disk, a closed pipe), so
/// the command ends with an error and a non-zero status instead of exit 0.
///
/// Use it for everything a command prints as its result, instead of `print`:
/// `try StandardOutput.line(text)` or `try StandardOutput.json(value)`.
enum StandardOutput {
    /// Writes `text` as is.
    static func write(_ text: String) throws(OutputError) {
        var text = text
        let code = text.withUTF8 { writeAll($0) }
        if code != 0 { throw OutputError(code: code) }
    }

    /// Writes `text` and a newline.
    static func line(_ text: String) throws(OutputError) {
        try write(text + "\n")
    }

    /// Writes `value` as one line of JSON (keys sorted, slashes unescaped).
    static func json<T: Encodable>(_ value: T) throws {
        try line(String(decoding: try encoder.encode(value), as: UTF8.self))
    }

    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    /// Writes every byte; 0, or the `errno` of the write that failed.
    private static func writeAll(_ bytes: UnsafeBufferPointer<UInt8>) -> Int32 {
        guard var next = bytes.baseAddress else { return 0 }
        var left = bytes.count
        while left > 0 {
            let written = systemWrite(STDOUT_FILENO, next, left)
            if written < 0 {
                if errno == EINTR { continue }
                return errno
            }
            next += written
            left -= written
        }
        return 0
    }

    private static func systemWrite(_ fd: Int32, _ bytes: UnsafePointer<UInt8>, _ count: Int) -> Int {
        #if canImport(Glibc)
            return Glibc.write(fd, bytes, count)
        #else
            return Darwin.write(fd, bytes, count)
        #endif
    }
}
