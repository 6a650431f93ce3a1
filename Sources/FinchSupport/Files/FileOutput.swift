import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// An open file descriptor to write bytes to, retrying short and interrupted
/// writes; failures are `FileWriteError`s naming `path`.
public struct FileOutput: Sendable {
    /// The descriptor (owned by whoever opened it).
    public let descriptor: Int32
    /// The path named in errors.
    public let path: String

    /// Wraps `descriptor`, open for writing on `path`.
    public init(descriptor: Int32, path: String) {
        self.descriptor = descriptor
        self.path = path
    }

    /// Writes all of `bytes`.
    public func write(_ bytes: UnsafeRawBufferPointer) throws(FileWriteError) {
        guard let base = bytes.baseAddress else { return }
        var offset = 0
        while offset < bytes.count {
            let n = systemWrite(descriptor, base + offset, bytes.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                throw FileOutput.failure(path)
            }
            offset += n
        }
    }

    /// Writes all of `bytes`.
    public func write(_ bytes: [UInt8]) throws(FileWriteError) {
        let failure: FileWriteError? = bytes.withUnsafeBytes { raw in
            do throws(FileWriteError) {
                try write(raw)
                return nil
            } catch {
                return error
            }
        }
        if let failure { throw failure }
    }

    /// Writes all of `data`.
    public func write(_ data: Data) throws(FileWriteError) {
        try write([UInt8](data))
    }

    /// Writes the UTF-8 of `text`.
    public func write(_ text: String) throws(FileWriteError) {
        try write(Array(text.utf8))
    }

    /// The `cannotWrite` error for `path` and the current `errno`.
    public static func failure(_ path: String) -> FileWriteError {
        .cannotWrite(path: path, reason: String(cString: strerror(errno)))
    }
}

/// `write(2)`, named apart from `FileOutput.write`.
private func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    write(fd, buffer, count)
}
