import Hummingbird

/// Serves the dashboard: the shell at `/` and `/dashboard/`, its files at `/dashboard/{file}`.
/// No key is needed for these (the pages ask for one and send it with their API calls).
public struct DashboardController<Context: RequestContext>: Sendable {
    /// The policy every dashboard response carries: only this origin's scripts, styles and API,
    /// which also proves the pages fetch nothing from elsewhere.
    static var contentSecurityPolicy: String {
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
            + "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    }

    /// Creates the controller.
    public init() {}

    /// Adds `GET /`, `GET /dashboard` (which also answers `/dashboard/`) and `GET /dashboard/{file}` to `router`.
    public func addRoutes(to router: Router<Context>) {
        router.get("/") { request, _ in Self.response(for: DashboardAssets.index, request: request) }
        router.get("/dashboard") { request, _ in Self.response(for: DashboardAssets.index, request: request) }
        router.get("/dashboard/{file}") { request, context in
            let name = context.parameters.get("file") ?? ""
            guard let asset = DashboardAssets.asset(named: name) else {
                throw HTTPError(.notFound, message: "No dashboard file named '\(name)'.")
            }
            return Self.response(for: asset, request: request)
        }
    }

    /// The asset with its type, validator and security headers; 304 when the client already has it.
    static func response(for asset: DashboardAsset, request: Request) -> Response {
        var headers: HTTPFields = [
            .eTag: asset.entityTag,
            .cacheControl: "no-cache",
            .xContentTypeOptions: "nosniff",
            .contentSecurityPolicy: contentSecurityPolicy,
        ]
        if let cached = request.headers[.ifNoneMatch], cached.contains(asset.entityTag) {
            return Response(status: .notModified, headers: headers)
        }
        headers[.contentType] = asset.contentType
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: asset.bytes)))
    }
}
