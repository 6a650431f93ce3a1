import FinchApps
import Foundation
import Hummingbird

/// `POST /v1/feedback` (write scope): a correction of a classification, of
/// entities, or of an assistant answer, stored with the key that sent it and
/// acknowledged (201) after the commit. `GET /v1/feedback` (read scope) lists
/// it, filtered by `model` or `collection`, newest `limit` (default 100, at most 10,000).
struct FeedbackController {
    let service: FeedbackService
    let limits: InputLimits

    func addWriteRoutes(to group: RouterGroup<FinchRequestContext>) {
        group.post("feedback", use: submit)
    }

    func addReadRoutes(to group: RouterGroup<FinchRequestContext>) {
        group.get("feedback", use: list)
    }

    /// The three request shapes in one: `collection` marks an answer
    /// (`query`, `entry` present, null for "none of these"), `entities` a
    /// tagger's correction, `label` a classifier's.
    struct SubmitRequest: Decodable {
        var model: String?
        var collection: String?
        var input: String?
        var query: String?
        var label: String?
        var entities: [FeedbackSpan]?
        var entry: String?
        var entryGiven: Bool
        var user: String?

        enum CodingKeys: String, CodingKey { case model, collection, input, query, label, entities, entry, user }

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            model = try c.decodeIfPresent(String.self, forKey: .model)
            collection = try c.decodeIfPresent(String.self, forKey: .collection)
            input = try c.decodeIfPresent(String.self, forKey: .input)
            query = try c.decodeIfPresent(String.self, forKey: .query)
            label = try c.decodeIfPresent(String.self, forKey: .label)
            entities = try c.decodeIfPresent([FeedbackSpan].self, forKey: .entities)
            entry = try c.decodeIfPresent(String.self, forKey: .entry)
            entryGiven = c.contains(.entry)
            user = try c.decodeIfPresent(String.self, forKey: .user)
        }

        func submission() throws -> FeedbackSubmission {
            if let collection {
                guard let query else { throw APIError.invalid("query", "missing field query (an answer's feedback names the query)") }
                guard entryGiven else {
                    throw APIError.invalid("entry", "missing field entry (the right entry's id, or null for none of these)")
                }
                return .answer(collection: collection, query: query, entry: entry)
            }
            guard let model else { throw APIError.invalid("model", "missing field model (or collection for an assistant answer)") }
            guard let input else { throw APIError.invalid("input", "missing field input") }
            if let entities {
                if label != nil { throw APIError.invalid("label", "give either label (a classification) or entities, not both") }
                return .entities(model: model, input: input, entities: entities)
            }
            guard let label else { throw APIError.invalid("label", "missing field label (or entities for a tagger)") }
            return .classification(model: model, input: input, label: label)
        }
    }

    struct SubmitResponse: Encodable {
        var feedback: FeedbackRecord
        var alternativeAdded: Bool
        enum CodingKeys: String, CodingKey { case feedback, alternativeAdded = "alternative_added" }
    }

    @Sendable func submit(_ request: Request, context: FinchRequestContext) async throws -> Response {
        var request = request
        let body = try await request.decodeJSON(SubmitRequest.self, limit: limits.maxBodyBytes)
        let submission = try body.submission()
        let text: String
        switch submission {
        case .classification(_, let input, _), .entities(_, let input, _): text = input
        case .answer(_, let query, _): text = query
        }
        try limits.check([text], field: body.collection == nil ? "input" : "query")
        guard let keyID = context.key?.id else { throw APIError(.unauthorized, code: "unauthorized", message: "no API key") }
        do {
            let receipt = try await service.submit(submission, user: body.user, keyID: keyID)
            return try JSONResponse.make(
                SubmitResponse(feedback: receipt.record, alternativeAdded: receipt.alternativeAdded), status: .created)
        } catch let error as FeedbackError {
            throw APIError.invalid(error.field, error.description)
        } catch let error as AssistantServiceError {
            switch error {
            case .unknownCollection:
                throw APIError(.notFound, code: "collection_not_found", message: error.description, field: "collection")
            case .unknownEntry: throw APIError(.notFound, code: "entry_not_found", message: error.description, field: "entry")
            default: throw APIError.invalid("collection", error.description)
            }
        }
    }

    struct ListResponse: Encodable { var feedback: [FeedbackRecord] }

    @Sendable func list(_ request: Request, context: FinchRequestContext) async throws -> Response {
        let parameters = request.uri.queryParameters
        var limit = 100
        if let given = parameters.get("limit") {
            guard let n = Int(given), (1...10_000).contains(n) else {
                throw APIError.invalid("limit", "limit must be a whole number from 1 to 10000")
            }
            limit = n
        }
        let query = FeedbackQuery(
            model: parameters.get("model").map { String($0) }, collection: parameters.get("collection").map { String($0) }, limit: limit)
        return try JSONResponse.make(ListResponse(feedback: try await service.list(query)))
    }
}
