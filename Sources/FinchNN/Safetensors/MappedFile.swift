#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A whole file mapped into memory, unmapped when the last reference goes.
///
/// The mapping is private and writable: tensors that borrow it may be updated
/// in place (an optimizer step on a loaded parameter) without touching the file
/// — written pages are copied on write by the kernel.
final class MappedFile: @unchecked Sendable {
    /// First byte of the mapping.
    let base: UnsafeMutableRawPointer
    /// Length of the file and the mapping, in bytes (at least 8).
    let size: Int

    /// Maps the regular file at `path`; files under 8 bytes are rejected
    /// before mapping (they cannot be safetensors files).
    init(path: String) throws {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw SafetensorsError.unreadable(file: path, reason: MappedFile.lastError()) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            throw SafetensorsError.unreadable(file: path, reason: MappedFile.lastError())
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw SafetensorsError.unreadable(file: path, reason: "not a regular file")
        }
        let size = Int(info.st_size)
        guard size >= 8 else { throw SafetensorsError.fileTooSmall(file: path, size: size) }
        guard let mapped = mmap(nil, size, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0), mapped != MAP_FAILED else {
            throw SafetensorsError.unreadable(file: path, reason: MappedFile.lastError())
        }
        self.base = mapped
        self.size = size
    }

    deinit { munmap(base, size) }

    /// The system's message for the current `errno`.
    static func lastError() -> String { String(cString: strerror(errno)) }
}
