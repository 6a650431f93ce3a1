import FinchApps
import FinchText
import Foundation
import Hummingbird

/// Drop-in routes for existing clients: OpenAI's `POST /v1/embeddings` and
/// text-embeddings-inference's `POST /embed`, `/predict`, `/rerank`,
/// `/tokenize`. TEI requests name no model: they go to `model` when the body
/// has one, else to the first active model of the right kind by name
/// (`/rerank`: the first cross-encoder, else the first embedder).
struct CompatibilityController {
    let registry: ModelRegistry
    let limits: InputLimits

    func addV1Routes(to group: RouterGroup<FinchRequestContext>) {
        group.post("embeddings", use: openAIEmbeddings)
    }

    func addRootRoutes(to group: RouterGroup<FinchRequestContext>) {
        group.post("embed", use: teiEmbed)
        group.post("predict", use: teiPredict)
        group.post("rerank", use: teiRerank)
        group.post("tokenize", use: teiTokenize)
    }

    func model(named name: String?, kind: ModelKind, orElse fallback: ModelKind? = nil) throws -> ServedModel {
        if let name { return try registry.model(named: name) }
        let active = registry.activeModels
        guard let first = active.first(where: { $0.kind == kind }) ?? active.first(where: { $0.kind == fallback }) else {
            let kinds = [kind, fallback].compactMap { $0?.rawValue }.joined(separator: " or ")
            throw APIError(.notFound, code: "model_not_found", message: "no \(kinds) is registered", field: "model")
        }
        return first
    }

    // MARK: OpenAI

    struct OpenAIRequest: Decodable {
        var model: String
        var input: TextList
    }

    struct OpenAIResponse: Encodable {
        struct Item: Encodable {
            var object = "embedding"
            var embedding: [Float]
            var index: Int
        }
        struct Usage: Encodable {
            var promptTokens: Int
            var totalTokens: Int
            enum CodingKeys: String, CodingKey { case promptTokens = "prompt_tokens", totalTokens = "total_tokens" }
        }
        var object = "list"
        var data: [Item]
        var model: String
        var usage: Usage
    }

    @Sendable func openAIEmbeddings(_ request: Request, context: FinchRequestContext) async throws -> Response {
        var request = request
        let body = try await request.decodeJSON(OpenAIRequest.self, limit: limits.maxBodyBytes)
        try limits.check(body.input.texts, field: "input")
        let model = try registry.model(named: body.model)
        let result = try await InferenceService.embed(body.input.texts, model: model, normalize: true)
        let response = OpenAIResponse(
            data: result.value.enumerated().map { .init(embedding: $0.element, index: $0.offset) }, model: model.name,
            usage: .init(promptTokens: result.tokens, totalTokens: result.tokens))
        return try JSONResponse.make(response, timing: result.timing, truncated: result.truncated, tokens: result.tokens)
    }

    // MARK: TEI

    struct TEIEmbedRequest: Decodable {
        var inputs: TextList
        var normalize: Bool?
        var model: String?
    }

    @Sendable func teiEmbed(_ request: Request, context: FinchRequestContext) async throws -> Response {
        var request = request
        let body = try await request.decodeJSON(TEIEmbedRequest.self, limit: limits.maxBodyBytes)
        try limits.check(body.inputs.texts, field: "inputs")
        let model = try model(named: body.model, kind: .embedder)
        let result = try await InferenceService.embed(body.inputs.texts, model: model, normalize: body.normalize ?? true)
        return try JSONResponse.make(result.value, timing: result.timing, truncated: result.truncated, tokens: result.tokens)
    }

    /// TEI's predict input: a text, a pair `[a, b]`, or a batch of texts or pairs.
    struct PredictInputs: Decodable {
        var items: [ServedModel.TextInput]
        var isBatch: Bool

        init(from decoder: any Decoder) throws {
            let c = try decoder.singleValueContainer()
            do {
                items = [.init(text: try c.decode(String.self))]
                isBatch = false
                return
            } catch DecodingError.typeMismatch {}
            do {
                let strings = try c.decode([String].self)
                if strings.count == 2 {
                    items = [.init(text: strings[0], pair: strings[1])]
                    isBatch = false
                } else {
                    items = strings.map { .init(text: $0) }
                    isBatch = true
                }
                return
            } catch DecodingError.typeMismatch {}
            let batch = try c.decode([[String]].self)
            items = try batch.enumerated().map { i, seq in
                guard seq.count == 1 || seq.count == 2 else {
                    throw APIError.invalid("inputs[\(i)]", "inputs[\(i)] must hold one text or a pair")
                }
                return .init(text: seq[0], pair: seq.count == 2 ? seq[1] : nil)
            }
            isBatch = true
        }
    }

    struct TEIPredictRequest: Decodable {
        var inputs: PredictInputs
        var model: String?
    }

    struct TEILabel: Encodable {
        var score: Double
        var label: String
    }

    @Sendable func teiPredict(_ request: Request, context: FinchRequestContext) async throws -> Response {
        var request = request
        let body = try await request.decodeJSON(TEIPredictRequest.self, limit: limits.maxBodyBytes)
        try limits.check(body.inputs.items.flatMap { [$0.text] + ($0.pair.map { [$0] } ?? []) }, field: "inputs")
        let model = try model(named: body.model, kind: .classifier)
        let result = try await InferenceService.classify(body.inputs.items, model: model)
        let rows = result.value.map { p in
            p.scores.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.map { TEILabel(score: $0.value, label: $0.key) }
        }
        if body.inputs.isBatch {
            return try JSONResponse.make(rows, timing: result.timing, truncated: result.truncated, tokens: result.tokens)
        }
        return try JSONResponse.make(rows[0], timing: result.timing, truncated: result.truncated, tokens: result.tokens)
    }

    struct TEIRerankRequest: Decodable {
        var query: String
        var texts: [String]
        var returnText: Bool?
        /// A cross-encoder's logits instead of their sigmoids.
        var rawScores: Bool?
        var model: String?
        enum CodingKeys: String, CodingKey { case query, texts, model, returnText = "return_text", rawScores = "raw_scores" }
    }

    struct TEIRank: Encodable {
        var index: Int
        var score: Double
        var text: String?
    }

    @Sendable func teiRerank(_ request: Request, context: FinchRequestContext) async throws -> Response {
        var request = request
        let body = try await request.decodeJSON(TEIRerankRequest.self, limit: limits.maxBodyBytes)
        try limits.check([body.query], field: "query")
        try limits.check(body.texts, field: "texts")
        let model = try model(named: body.model, kind: .crossEncoder, orElse: .embedder)
        let result = try await InferenceService.rerank(
            query: body.query, texts: body.texts, model: model, raw: body.rawScores ?? false)
        let ranks = result.value.map {
            TEIRank(index: $0.index, score: $0.score, text: body.returnText == true ? body.texts[$0.index] : nil)
        }
        return try JSONResponse.make(ranks, timing: result.timing, truncated: result.truncated, tokens: result.tokens)
    }

    struct TEITokenizeRequest: Decodable {
        var inputs: TextList
        var addSpecialTokens: Bool?
        var model: String?
        enum CodingKeys: String, CodingKey { case inputs, model, addSpecialTokens = "add_special_tokens" }
    }

    struct TEIToken: Encodable {
        var id: Int
        var text: String
        var special: Bool
        var start: Int?
        var stop: Int?

        /// `start` and `stop` are null for special tokens, as TEI writes them.
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(id, forKey: .id)
            try c.encode(text, forKey: .text)
            try c.encode(special, forKey: .special)
            try c.encode(start, forKey: .start)
            try c.encode(stop, forKey: .stop)
        }
        enum CodingKeys: String, CodingKey { case id, text, special, start, stop }
    }

    @Sendable func teiTokenize(_ request: Request, context: FinchRequestContext) async throws -> Response {
        var request = request
        let body = try await request.decodeJSON(TEITokenizeRequest.self, limit: limits.maxBodyBytes)
        try limits.check(body.inputs.texts, field: "inputs")
        let model = try model(named: body.model, kind: .embedder)
        guard let tokenizer = model.tokenizer else {
            throw RegistryError.wrongKind(name: model.name, kind: model.kind, expected: "a model with a tokenizer")
        }
        let rows = body.inputs.texts.map { text in
            let e = tokenizer.encode(text, addSpecialTokens: body.addSpecialTokens ?? true)
            return e.ids.indices.map { i in
                let special = e.specialTokensMask[i] == 1
                return TEIToken(
                    id: e.ids[i], text: e.tokens[i], special: special, start: special ? nil : e.offsets[i].start,
                    stop: special ? nil : e.offsets[i].end)
            }
        }
        return try JSONResponse.make(rows)
    }
}
