import Synchronization

/// The erasers of every feature that stores data about end users. The
/// composition root makes one list; each feature registers its eraser on it
/// (in any order — an erasure reads the list when it runs).
public final class UserDataErasers: Sendable {
    private let erasers = Mutex<[any UserDataEraser]>([])

    public init(_ initial: [any UserDataEraser] = []) { erasers.withLock { $0 = initial } }

    /// Adds a feature's eraser.
    public func register(_ eraser: any UserDataEraser) { erasers.withLock { $0.append(eraser) } }

    /// The registered erasers, in registration order.
    public var all: [any UserDataEraser] { erasers.withLock { $0 } }
}
