/// A file or folder that could not be written, with the system's reason.
public enum FileWriteError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Creating, writing, flushing or renaming `path` failed.
    case cannotWrite(path: String, reason: String)
    /// Another process holds the lock on the output folder `folder`.
    case folderLocked(folder: String)

    /// A one-line message naming the path.
    public var description: String {
        switch self {
        case let .cannotWrite(path, reason):
            return "\(path): cannot write: \(reason)"
        case let .folderLocked(folder):
            return "\(folder): another Finch process is writing to this folder; wait for it to finish or write elsewhere"
        }
    }
}
