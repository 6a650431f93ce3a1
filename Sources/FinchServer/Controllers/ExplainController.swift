import FinchApps
import FinchTrain
import Foundation
import Hummingbird

/// `POST /v1/explain` (read scope): which words made a served classifier or
/// tagger predict what it did, as `finch explain` writes it. Parse, validate,
/// one call to the explanation service, render.
struct ExplainController {
    let explanations: ExplanationService
    let limits: InputLimits

    func addRoutes(to group: RouterGroup<FinchRequestContext>) {
        group.post("explain", use: explain)
    }

    struct ExplainRequest: Decodable {
        var model: String
        var text: String
        var pair: String?
        var method: ExplanationMethod?
        var steps: Int?
        var baseline: AttributionBaseline?
        var label: String?
        var occluder: OcclusionToken?
    }

    struct ExplainResponse: Encodable {
        var model: String
        var version: Int
        var explanations: [Explanation]
    }

    @Sendable func explain(_ request: Request, context: FinchRequestContext) async throws -> Response {
        var request = request
        let body = try await request.decodeJSON(ExplainRequest.self, limit: limits.maxBodyBytes)
        try limits.check([body.text], field: "text")
        if let pair = body.pair { try limits.check([pair], field: "pair") }
        let steps = body.steps ?? 50
        if steps < 1 { throw APIError.invalid("steps", "steps must be at least 1") }
        let options = ExplanationOptions(
            method: body.method ?? .ig, steps: steps, baseline: body.baseline ?? .pad, label: body.label,
            occluder: body.occluder ?? .mask)
        do {
            let (model, result) = try await explanations.explain(model: body.model, text: body.text, pair: body.pair, options: options)
            return try JSONResponse.make(ExplainResponse(model: model.name, version: model.version, explanations: result))
        } catch let error as ExplanationServiceError {
            throw APIError.invalid("steps", error.description)
        } catch let error as ExplanationError {
            throw APIError.invalid(Self.field(of: error), error.description)
        }
    }

    /// The request field an explanation error is about.
    static func field(of error: ExplanationError) -> String {
        switch error {
        case .invalidSteps: "steps"
        case .unknownLabel: "label"
        case .unsupported: "pair"
        case .noWords, .noGradient: "text"
        }
    }
}
