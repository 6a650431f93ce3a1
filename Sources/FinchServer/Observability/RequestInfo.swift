import Synchronization

/// What a request's handlers learn that its outer middleware logs: the key
/// id (never the key) and the timing. A reference, so every copy of the
/// request context shares it.
public final class RequestInfo: Sendable {
    private let state = Mutex<(keyID: String?, modelName: String?)>((nil, nil))

    public init() {}

    public var keyID: String? {
        get { state.withLock { $0.keyID } }
        set { state.withLock { $0.keyID = newValue } }
    }

    public var modelName: String? {
        get { state.withLock { $0.modelName } }
        set { state.withLock { $0.modelName = newValue } }
    }
}
