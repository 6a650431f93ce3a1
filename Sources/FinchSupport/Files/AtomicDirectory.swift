import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Replaces a whole directory (a checkpoint, a model folder) so that it is
/// either the old one or the complete new one, never a mix.
///
/// The new content is built in a temporary sibling (`.name.tmp-UUID`), then
/// the old directory is renamed aside, the new one renamed into place and the
/// old one removed. If building fails, the temporary directory is removed and
/// the old directory is untouched; if the second rename fails, the old
/// directory is renamed back.
public enum AtomicDirectory {
    /// Builds the new content of `url` with `build` (called with the
    /// temporary directory to fill) and swaps it in.
    /// - Throws: what `build` throws, or `FileWriteError.cannotWrite`.
    public static func replace(_ url: URL, _ build: (URL) throws -> Void) throws {
        let fm = FileManager.default
        let parent = url.deletingLastPathComponent()
        let name = url.lastPathComponent
        let token = UUID().uuidString
        let temporary = parent.appendingPathComponent(".\(name).tmp-\(token)")
        let previous = parent.appendingPathComponent(".\(name).old-\(token)")
        do {
            try fm.createDirectory(at: temporary, withIntermediateDirectories: true)
        } catch {
            throw FileWriteError.cannotWrite(path: url.path, reason: SystemReason.describe(error))
        }
        do {
            try build(temporary)
        } catch {
            try? fm.removeItem(at: temporary)  // cleanup of our own temporary; the build error is what matters
            throw error
        }
        var exists = false
        if access(url.path, F_OK) == 0 {
            exists = true
            if rename(url.path, previous.path) != 0 {
                let failure = FileOutput.failure(url.path)
                try? fm.removeItem(at: temporary)  // cleanup of our own temporary
                throw failure
            }
        }
        if rename(temporary.path, url.path) != 0 {
            let failure = FileOutput.failure(url.path)
            if exists { rename(previous.path, url.path) }
            try? fm.removeItem(at: temporary)  // cleanup of our own temporary
            throw failure
        }
        if exists { try? fm.removeItem(at: previous) }  // the swap succeeded; a leftover old copy is harmless
    }
}
