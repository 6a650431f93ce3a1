import FinchApps
import Foundation
import Hummingbird

/// `Authorization: Bearer KEY` for a route group: 401 when the key is
/// missing, malformed, unknown or revoked; 403 when its scope is below
/// `scope`; 429 with `Retry-After` when the key's bucket is empty.
struct AuthMiddleware: RouterMiddleware {
    typealias Context = FinchRequestContext
    let scope: APIKeyScope
    let keys: KeyCache
    let limiter: RateLimiter

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let header = request.headers[.authorization] else {
            throw APIError(.unauthorized, code: "unauthorized", message: "missing Authorization: Bearer header", field: "Authorization")
        }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer", let (id, secret) = APIKeyHasher.parse(String(parts[1])) else {
            throw APIError(
                .unauthorized, code: "unauthorized", message: "the Authorization header is not Bearer and a Finch key",
                field: "Authorization")
        }
        guard let record = try await keys.key(id: id), APIKeyHasher.verify(secret: secret, against: record) else {
            throw APIError(.unauthorized, code: "unauthorized", message: "unknown API key", field: "Authorization")
        }
        guard record.revokedAt == nil else {
            throw APIError(.unauthorized, code: "unauthorized", message: "the API key was revoked", field: "Authorization")
        }
        context.info.keyID = record.id
        guard record.scope.allows(scope) else {
            throw APIError(
                .forbidden, code: "forbidden",
                message: "this route needs a key of scope \(scope.rawValue); this key has \(record.scope.rawValue)")
        }
        if let wait = limiter.take(key: record.id) {
            throw APIError(
                .tooManyRequests, code: "rate_limited",
                message: "rate limit of \(limiter.perSecond) requests per second exceeded", retryAfterSeconds: wait)
        }
        var context = context
        context.key = record
        return try await next(request, context)
    }
}
