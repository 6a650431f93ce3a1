import FinchApps
import FinchTrain
import FinchVision
import Foundation
import Hummingbird

/// `POST /v1/classify-image`: images as base64 strings in JSON → labels with probabilities, from
/// an image classifier (`finch train image`) in the registry.
struct ImageClassifyController {
    let registry: ModelRegistry
    let limits: InputLimits

    func addRoutes(to group: RouterGroup<FinchRequestContext>) {
        group.post("classify-image", use: classify)
    }

    struct ClassifyImageRequest: Decodable {
        var model: String
        /// Base64 (standard alphabet, padding optional) PNG or JPEG files.
        var images: [String]
        var topK: Int?
        enum CodingKeys: String, CodingKey { case model, images, topK = "top_k" }
    }

    @Sendable func classify(_ request: Request, context: FinchRequestContext) async throws -> Response {
        var request = request
        let body = try await request.decodeJSON(ClassifyImageRequest.self, limit: limits.maxBodyBytes)
        guard !body.images.isEmpty else { throw APIError.invalid("images", "images must hold at least one image") }
        guard body.images.count <= limits.maxInputs else {
            throw APIError.invalid("images", "at most \(limits.maxInputs) images per request, got \(body.images.count)")
        }
        if let k = body.topK, k < 1 { throw APIError.invalid("top_k", "top_k must be at least 1") }
        var encoded: [[UInt8]] = []
        for (i, text) in body.images.enumerated() {
            guard let data = Self.base64(text) else { throw APIError.invalid("images[\(i)]", "images[\(i)] is not base64") }
            encoded.append([UInt8](data))
        }
        let model = try registry.model(named: body.model)
        let result: InferenceResult<[ClassPrediction]>
        do {
            result = try await InferenceService.classifyImages(
                encoded, names: body.images.indices.map { "images[\($0)]" }, model: model)
        } catch let error as ImageError {
            throw APIError.invalid(error.file, error.description)
        }
        let rows = result.value.map { InferenceController.ranked($0, topK: body.topK ?? 1) }
        return try JSONResponse.make(
            InferenceController.ResultsResponse(results: rows, model: model.name, version: model.version, truncated: []),
            timing: result.timing)
    }

    /// Decodes standard base64, with or without padding, ignoring a `data:…;base64,` prefix.
    static func base64(_ text: String) -> Data? {
        var s = Substring(text)
        if s.hasPrefix("data:"), let comma = s.firstIndex(of: ",") { s = s[s.index(after: comma)...] }
        var padded = String(s)
        while padded.count % 4 != 0 { padded += "=" }
        return Data(base64Encoded: padded)
    }
}
