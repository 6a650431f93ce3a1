import FinchApps
import FinchRecommend
import Foundation
import Hummingbird

/// The recommendation service's routes: the catalogue (`PUT`/`DELETE
/// /v1/items/{id}`, `GET /v1/items`, `GET /v1/items/{id}`), users
/// (`PUT /v1/users/{id}`), events (`POST /v1/events`, a batch), and the lists
/// (`GET /v1/users/{id}/recommendations`, `GET /v1/items/{id}/similar`,
/// `GET /v1/users/{id}/profile`), and the catalogue and coverage statistics
/// (`GET /v1/recommend/stats`). Without a configured recommender every
/// route answers 503 `recommender_unavailable`.
struct RecommendController {
    let service: RecommendService?
    let limits: InputLimits

    func addReadRoutes(to group: RouterGroup<FinchRequestContext>) {
        group.get("users/:id/recommendations", use: recommendations)
        group.get("users/:id/profile", use: profile)
        group.get("items", use: listItems)
        group.get("items/:id", use: showItem)
        group.get("items/:id/similar", use: similar)
        group.get("recommend/stats", use: stats)
    }

    func addWriteRoutes(to group: RouterGroup<FinchRequestContext>) {
        group.put("items/:id", use: putItem)
        group.delete("items/:id", use: deleteItem)
        group.put("users/:id", use: putUser)
        group.post("events", use: postEvents)
    }

    func running() throws -> RecommendService {
        guard let service else {
            throw APIError(
                .serviceUnavailable, code: "recommender_unavailable",
                message: "no recommender is configured: set recommend_model to a registered recommender")
        }
        return service
    }

    static func identifier(_ context: FinchRequestContext) throws -> String {
        let id = try context.pathParameter("id")
        guard !id.isEmpty, id.count <= 256 else { throw APIError.invalid("id", "id must be 1–256 characters") }
        return id
    }

    static func integer(_ request: Request, _ name: String, default value: Int, range: ClosedRange<Int>) throws -> Int {
        guard let text = request.uri.queryParameters.get(name) else { return value }
        guard let n = Int(text), range.contains(n) else {
            throw APIError.invalid(name, "\(name) must be an integer in \(range.lowerBound)...\(range.upperBound)")
        }
        return n
    }

    static func flag(_ request: Request, _ name: String, default value: Bool) throws -> Bool {
        guard let text = request.uri.queryParameters.get(name) else { return value }
        switch text.lowercased() {
        case "true", "1": return true
        case "false", "0": return false
        default: throw APIError.invalid(name, "\(name) must be true or false")
        }
    }

    // MARK: lists

    struct ReasonItem: Encodable {
        var kind: String
        var text: String
        var items: [String]
        var category: String?
        var contribution: Float
        init(_ r: ExplanationReason) {
            kind = r.kind.rawValue
            text = r.text
            items = r.items
            category = r.category
            contribution = r.contribution
        }
    }

    struct RecommendedItem: Encodable {
        var item: String
        var score: Float
        var reasons: [ReasonItem]
    }

    struct RecommendationsResponse: Encodable {
        var user: String
        var source: String
        var personalized: Bool
        var modelVersion: Int
        var items: [RecommendedItem]
        enum CodingKeys: String, CodingKey { case user, source, personalized, items, modelVersion = "model_version" }
    }

    @Sendable func recommendations(_ request: Request, context: FinchRequestContext) async throws -> Response {
        let service = try running()
        let user = try Self.identifier(context)
        var query = RecommendationQuery(count: try Self.integer(request, "k", default: 10, range: 1...1000))
        query.excludeSeen = try Self.flag(request, "exclude_seen", default: true)
        if let category = request.uri.queryParameters.get("category") { query.category = String(category) }
        query.reasons = try Self.flag(request, "explain", default: false) ? 3 : 0
        let result = try await service.recommend(user: user, query: query)
        return try JSONResponse.make(
            RecommendationsResponse(
                user: user, source: result.served.source.rawValue, personalized: result.personalized, modelVersion: result.version,
                items: result.served.items.map { RecommendedItem(item: $0.item, score: $0.score, reasons: $0.reasons.map(ReasonItem.init)) }
            ))
    }

    struct SimilarItem: Encodable {
        var item: String
        var score: Float
    }

    struct SimilarResponse: Encodable {
        var item: String
        var items: [SimilarItem]
    }

    @Sendable func similar(_ request: Request, context: FinchRequestContext) async throws -> Response {
        let service = try running()
        let item = try Self.identifier(context)
        let k = try Self.integer(request, "k", default: 10, range: 1...1000)
        let list = try await service.similar(item: item, count: k)
        return try JSONResponse.make(SimilarResponse(item: item, items: list.map { SimilarItem(item: $0.item, score: $0.score) }))
    }

    struct StatsResponse: Encodable {
        struct Counts: Encodable {
            var users: Int
            var items: Int
            var servableItems: Int
            var events: Int
            enum CodingKeys: String, CodingKey { case users, items, events, servableItems = "servable_items" }
        }
        struct Bucket: Encodable {
            var minEvents: Int
            var maxEvents: Int
            var items: Int
            enum CodingKeys: String, CodingKey { case items, minEvents = "min_events", maxEvents = "max_events" }
        }
        struct TopShare: Encodable {
            var topFraction: Double
            var items: Int
            var eventShare: Double
            enum CodingKeys: String, CodingKey { case items, topFraction = "top_fraction", eventShare = "event_share" }
        }
        struct Popularity: Encodable {
            var buckets: [Bucket]
            var topShares: [TopShare]
            enum CodingKeys: String, CodingKey { case buckets, topShares = "top_shares" }
        }
        struct Coverage: Encodable {
            var k: Int
            var sampleUsers: Int
            var seed: UInt64
            var coveredItems: Int
            var coverage: Double
            var gini: Double
            enum CodingKeys: String, CodingKey {
                case k, seed, coverage, gini
                case sampleUsers = "sample_users", coveredItems = "covered_items"
            }
        }
        var model: String
        var modelVersion: Int
        var counts: Counts
        var popularity: Popularity
        var coverage: Coverage
        enum CodingKeys: String, CodingKey { case model, counts, popularity, coverage, modelVersion = "model_version" }
    }

    /// `GET /v1/recommend/stats?k=10&sample=500`: counts, events per item in
    /// log-spaced buckets with the top 1/10/20 % items' share of events, and
    /// the coverage and exposure Gini of a seeded sample of users' top-k lists.
    @Sendable func stats(_ request: Request, context: FinchRequestContext) async throws -> Response {
        let service = try running()
        if let model = request.uri.queryParameters.get("model"), String(model) != service.settings.model {
            throw APIError(
                .notFound, code: "model_not_found",
                message: "this deployment serves the recommender \"\(service.settings.model)\", not \"\(model)\"",
                field: "model")
        }
        let k = try Self.integer(request, "k", default: 10, range: 1...100)
        let sample = try Self.integer(request, "sample", default: 500, range: 1...5000)
        let (s, version) = try await service.catalogueStatistics(k: k, sampleSize: sample)
        return try JSONResponse.make(
            StatsResponse(
                model: service.settings.model, modelVersion: version,
                counts: .init(users: s.users, items: s.items, servableItems: s.servableItems, events: s.events),
                popularity: .init(
                    buckets: s.popularityBuckets.map { .init(minEvents: $0.lower, maxEvents: $0.upper, items: $0.items) },
                    topShares: s.topShares.map { .init(topFraction: $0.fraction, items: $0.items, eventShare: $0.share) }),
                coverage: .init(
                    k: s.k, sampleUsers: s.sampledUsers, seed: s.seed, coveredItems: s.coveredItems, coverage: s.coverage, gini: s.gini)))
    }

    struct EventItem: Encodable {
        var item: String
        var type: String
        var value: Float
        var time: Double
    }

    struct ProfileResponse: Encodable {
        struct Share: Encodable {
            var category: String
            var share: Float
        }
        struct Defining: Encodable {
            var item: String
            var title: String
            var weight: Float
        }
        var user: String
        var source: String
        var eventCounts: [String: Int]
        var topCategories: [Share]
        var definingItems: [Defining]
        var lastEvents: [EventItem]
        var attributes: [String: String]
        enum CodingKeys: String, CodingKey {
            case user, source, attributes
            case eventCounts = "event_counts", topCategories = "top_categories", definingItems = "defining_items"
            case lastEvents = "last_events"
        }
    }

    @Sendable func profile(_ request: Request, context: FinchRequestContext) async throws -> Response {
        let service = try running()
        let user = try Self.identifier(context)
        let p = try await service.profile(user: user)
        return try JSONResponse.make(
            ProfileResponse(
                user: user, source: p.profile.source.rawValue,
                eventCounts: p.profile.eventCounts.filter { !$0.key.hasPrefix("_") },
                topCategories: p.profile.topCategories.map { .init(category: $0.category, share: $0.share) },
                definingItems: p.profile.definingItems.map { .init(item: $0.item, title: $0.title, weight: $0.weight) },
                lastEvents: p.profile.lastEvents.filter { !$0.type.hasPrefix("_") }.map {
                    EventItem(item: $0.item, type: $0.type, value: $0.value, time: $0.time)
                }, attributes: p.attributes))
    }

    // MARK: catalogue

    struct ItemBody: Decodable {
        var title: String?
        var text: String?
        var categories: [String]?
        var attributes: [String: String]?
        var available: Bool?
    }

    struct ItemResponse: Encodable {
        var id: String
        var title: String
        var text: String
        var categories: [String]
        var attributes: [String: String]
        var available: Bool
        var hasEmbedding: Bool
        var recommendable: Bool
        enum CodingKeys: String, CodingKey {
            case id, title, text, categories, attributes, available, recommendable
            case hasEmbedding = "has_embedding"
        }
        init(_ r: RecommendItemRecord, recommendable: Bool) {
            id = r.id
            title = r.title
            text = r.text
            categories = r.categories
            attributes = r.attributes
            available = r.available
            hasEmbedding = r.embedding != nil
            self.recommendable = recommendable
        }
    }

    struct ItemsResponse: Encodable { var items: [ItemResponse] }

    @Sendable func listItems(_ request: Request, context: FinchRequestContext) async throws -> Response {
        let service = try running()
        let limit = try Self.integer(request, "limit", default: 100, range: 1...10_000)
        let all = try await service.items().prefix(limit)
        return try JSONResponse.make(ItemsResponse(items: all.map { ItemResponse($0, recommendable: service.isRecommendable($0.id)) }))
    }

    @Sendable func showItem(_ request: Request, context: FinchRequestContext) async throws -> Response {
        let service = try running()
        let id = try Self.identifier(context)
        guard let item = try await service.item(id: id) else { throw RecommendServiceError.unknownItem(id) }
        return try JSONResponse.make(ItemResponse(item, recommendable: service.isRecommendable(id)))
    }

    @Sendable func putItem(_ request: Request, context: FinchRequestContext) async throws -> Response {
        let service = try running()
        var request = request
        let id = try Self.identifier(context)
        let body = try await request.decodeJSON(ItemBody.self, limit: limits.maxBodyBytes)
        try limits.check([body.text ?? "", body.title ?? ""], field: "text")
        let stored = try await service.putItem(
            RecommendItemRecord(
                id: id, title: body.title ?? "", text: body.text ?? "", categories: body.categories ?? [],
                attributes: body.attributes ?? [:], available: body.available ?? true))
        return try JSONResponse.make(ItemResponse(stored, recommendable: service.isRecommendable(id)))
    }

    @Sendable func deleteItem(_ request: Request, context: FinchRequestContext) async throws -> Response {
        try await running().deleteItem(id: try Self.identifier(context))
        return Response(status: .noContent)
    }

    struct UserBody: Decodable { var attributes: [String: String]? }

    struct UserResponse: Encodable {
        var id: String
        var attributes: [String: String]
    }

    @Sendable func putUser(_ request: Request, context: FinchRequestContext) async throws -> Response {
        let service = try running()
        var request = request
        let id = try Self.identifier(context)
        let body = try await request.decodeJSON(UserBody.self, limit: limits.maxBodyBytes)
        let record = try await service.putUser(id: id, attributes: body.attributes ?? [:])
        return try JSONResponse.make(UserResponse(id: record.id, attributes: record.attributes))
    }

    // MARK: events

    struct EventBody: Decodable {
        var user: String
        var item: String
        var type: String
        var value: Double?
        var time: Double?
        var eventID: String?
        enum CodingKeys: String, CodingKey { case user, item, type, value, time, eventID = "event_id" }
    }

    struct EventsBody: Decodable { var events: [EventBody] }

    struct EventsResponse: Encodable {
        var accepted: Int
        var duplicates: [Int]
        var createdUsers: [String]
        var createdItems: [String]
        var personalUsers: [String]
        enum CodingKeys: String, CodingKey {
            case accepted, duplicates
            case createdUsers = "created_users", createdItems = "created_items", personalUsers = "personal_users"
        }
    }

    @Sendable func postEvents(_ request: Request, context: FinchRequestContext) async throws -> Response {
        let service = try running()
        var request = request
        let body = try await request.decodeJSON(EventsBody.self, limit: limits.maxBodyBytes)
        guard !body.events.isEmpty else { throw APIError.invalid("events", "events must hold at least one event") }
        guard body.events.count <= limits.maxInputs else {
            throw APIError.invalid("events", "events holds \(body.events.count) events, more than the limit of \(limits.maxInputs)")
        }
        let now = Date().timeIntervalSince1970
        for (n, e) in body.events.enumerated() {
            for (name, value) in [("user", e.user), ("item", e.item)] where value.isEmpty || value.count > 256 {
                throw APIError.invalid("events[\(n)].\(name)", "events[\(n)].\(name) must be 1–256 characters")
            }
            if let id = e.eventID, id.isEmpty || id.count > 256 {
                throw APIError.invalid("events[\(n)].event_id", "events[\(n)].event_id must be 1–256 characters")
            }
        }
        let result = try await service.record(
            body.events.map {
                RecommendEventRecord(
                    eventID: $0.eventID, user: $0.user, item: $0.item, type: $0.type, value: $0.value ?? 1, time: $0.time ?? now)
            })
        return try JSONResponse.make(
            EventsResponse(
                accepted: result.accepted, duplicates: result.duplicates, createdUsers: result.createdUsers,
                createdItems: result.createdItems, personalUsers: result.personalUsers))
    }
}

extension RecommendServiceError {
    /// The API error for it.
    var apiError: APIError {
        switch self {
        case .notConfigured: APIError(.serviceUnavailable, code: "recommender_unavailable", message: description, retryAfterSeconds: 5)
        case .unknownUser: APIError(.notFound, code: "user_not_found", message: description, field: "id")
        case .unknownItem: APIError(.notFound, code: "item_not_found", message: description, field: "id")
        case .invalidEvent(let field, _): APIError.invalid(field, description)
        case .invalidItem(let field, _): APIError.invalid(field, description)
        case .invalidSetting(let name, _): APIError(.internalServerError, code: "internal", message: description, field: name)
        }
    }
}
