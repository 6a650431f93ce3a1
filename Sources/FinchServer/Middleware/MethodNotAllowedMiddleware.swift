import Hummingbird

/// Turns the router's 404 for a path that exists into 405 with an `Allow` header listing the
/// methods its routes declare (RFC 9110 §15.5.6); a path no route matches stays 404. Hummingbird's
/// router answers both cases with 404, and clients (and schemathesis) tell them apart.
struct MethodNotAllowedMiddleware: RouterMiddleware {
    typealias Context = FinchRequestContext
    let routes: RouteMethods

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            // Only the router's own 404 (no route for this method and path), never a handler's.
            guard context.endpointPath == "NotFound", let match = routes.methods(forPath: request.uri.path),
                !match.methods.contains(request.method.rawValue)
            else { throw error }
            context.coreContext.endpointPath.value = match.template
            throw APIError(
                .methodNotAllowed, code: "method_not_allowed",
                message: "\(request.method.rawValue) is not allowed on \(match.template); it answers "
                    + match.methods.joined(separator: ", "),
                allowedMethods: match.methods)
        }
    }
}
