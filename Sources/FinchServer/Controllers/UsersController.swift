import FinchApps
import Foundation
import Hummingbird

/// `DELETE /v1/users/{id}` (admin): erases one end user from every store
/// (see `UserErasure`) and reports what went per kind of data.
struct UsersController {
    let erasure: UserErasure

    func addAdminRoutes(to group: RouterGroup<FinchRequestContext>) {
        group.delete("users/:id", use: erase)
    }

    /// The longest user id accepted, in bytes.
    static let maxUserIDBytes = 256

    /// The `id` path parameter: 400 when empty or longer than 256 bytes.
    static func userID(_ context: FinchRequestContext) throws -> String {
        let id = try context.pathParameter("id")
        guard !id.isEmpty, id.utf8.count <= maxUserIDBytes else {
            throw APIError.invalid("id", "a user id is 1 to \(maxUserIDBytes) bytes")
        }
        return id
    }

    struct EraseResponse: Encodable {
        var user: String
        var erased: Bool
        /// Records removed per kind of data.
        var removed: [String: Int]
    }

    @Sendable func erase(_ request: Request, context: FinchRequestContext) async throws -> Response {
        let user = try Self.userID(context)
        let report = try await erasure.erase(user: user, actor: context.auditActor)
        return try JSONResponse.make(EraseResponse(user: user, erased: true, removed: report.removed))
    }
}

extension FinchRequestContext {
    /// Who an audit entry names for this request: the API key's id.
    var auditActor: String { key?.id ?? "anonymous" }
}
