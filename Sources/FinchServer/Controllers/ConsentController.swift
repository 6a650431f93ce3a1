import FinchApps
import Foundation
import Hummingbird

/// An end user's consent: `GET /v1/users/{id}/consent` (read) and
/// `PUT /v1/users/{id}/consent` (write; the application records what its
/// user chose). A user who never chose has the deployment's default
/// (`default_consent`), reported with `"source": "default"`.
struct ConsentController {
    let consent: StoreConsentLookup
    let limits: InputLimits

    func addReadRoutes(to group: RouterGroup<FinchRequestContext>) {
        group.get("users/:id/consent", use: show)
    }

    func addWriteRoutes(to group: RouterGroup<FinchRequestContext>) {
        group.put("users/:id/consent", use: update)
    }

    struct ConsentResponse: Encodable {
        var user: String
        var personalization: Bool
        var storeTextsForTraining: Bool
        /// `user` (they chose) or `default`.
        var source: String
        enum CodingKeys: String, CodingKey {
            case user, personalization, source
            case storeTextsForTraining = "store_texts_for_training"
        }
    }

    /// Either flag may be left out to keep its current value.
    struct PutRequest: Decodable {
        var personalization: Bool?
        var storeTextsForTraining: Bool?
        enum CodingKeys: String, CodingKey {
            case personalization
            case storeTextsForTraining = "store_texts_for_training"
        }
    }

    @Sendable func show(_ request: Request, context: FinchRequestContext) async throws -> Response {
        let user = try UsersController.userID(context)
        let (value, stored) = try await consent.consentWithSource(user: user)
        return try JSONResponse.make(
            ConsentResponse(
                user: user, personalization: value.personalization, storeTextsForTraining: value.storeTextsForTraining,
                source: stored ? "user" : "default"))
    }

    @Sendable func update(_ request: Request, context: FinchRequestContext) async throws -> Response {
        let user = try UsersController.userID(context)
        var request = request
        let body = try await request.decodeJSON(PutRequest.self, limit: limits.maxBodyBytes)
        guard body.personalization != nil || body.storeTextsForTraining != nil else {
            throw APIError.invalid("body", "give personalization, store_texts_for_training or both")
        }
        var value = try await consent.consent(user: user)
        if let p = body.personalization { value.personalization = p }
        if let s = body.storeTextsForTraining { value.storeTextsForTraining = s }
        try await consent.set(value, user: user)
        return try JSONResponse.make(
            ConsentResponse(
                user: user, personalization: value.personalization, storeTextsForTraining: value.storeTextsForTraining, source: "user"))
    }
}
