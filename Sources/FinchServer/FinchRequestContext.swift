import FinchApps
import Hummingbird
import Logging
import NIOCore

/// The request context of every route: Hummingbird's core storage plus the
/// authenticated key and the timing the controller reports.
public struct FinchRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The key that authenticated the request (nil on public routes).
    public var key: APIKeyRecord?
    /// Shared with the outer middleware, which logs it.
    public let info = RequestInfo()

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        key = nil
    }

    /// Bodies are collected by `RequestBody.decode` with the configured limit.
    public var maxUploadSize: Int { Int.max }
}
