import FinchApps
import FinchText
import Foundation
import Hummingbird

/// `POST /v1/redact` (read scope): personal data found and replaced, as `finch redact
/// --format jsonl` does. Parse, validate, one call to the redactor per text, render.
struct RedactController {
    /// The analyzer every request uses (built-in recognizers).
    let analyzer: PIIAnalyzer
    let limits: InputLimits

    /// The controller over the built-in recognizers.
    static func standard(limits: InputLimits) throws -> RedactController {
        RedactController(analyzer: try PIIAnalyzer.standard(), limits: limits)
    }

    func addRoutes(to group: RouterGroup<FinchRequestContext>) {
        group.post("redact", use: redact)
    }

    struct RedactRequest: Decodable {
        var inputs: TextList
        var types: [String]?
        /// `replace`, `mask`, `mask:N` or `remove` for every type without its own in `operators`.
        var defaultOperator: String?
        /// Operators by type.
        var operators: [String: String]?
        enum CodingKeys: String, CodingKey {
            case inputs, types, operators
            case defaultOperator = "operator"
        }
    }

    struct Entity: Encodable {
        var type: String
        var start: Int
        var end: Int
        var score: Double
        var recognizer: String
    }

    struct Result: Encodable {
        var text: String
        var entities: [Entity]
    }

    struct RedactResponse: Encodable {
        var results: [Result]
    }

    @Sendable func redact(_ request: Request, context: FinchRequestContext) async throws -> Response {
        var request = request
        let body = try await request.decodeJSON(RedactRequest.self, limit: limits.maxBodyBytes)
        try limits.check(body.inputs.texts, field: "inputs")
        let redactor = try makeRedactor(body)
        let results = try body.inputs.texts.map { text in
            let redaction = try redactor.redact(text)
            return Result(
                text: redaction.text,
                entities: redaction.entities.map {
                    Entity(type: $0.type.rawValue, start: $0.start, end: $0.end, score: $0.score, recognizer: $0.recognizer)
                })
        }
        return try JSONResponse.make(RedactResponse(results: results))
    }

    /// The request's types and operators over the shared analyzer. The keyed hash is not offered:
    /// the service holds no redaction key.
    func makeRedactor(_ body: RedactRequest) throws -> PIIRedactor {
        var types: Set<PIIEntityType>? = nil
        if let names = body.types {
            let known = analyzer.supportedTypes
            for name in names where !known.contains(PIIEntityType(rawValue: name)) {
                throw APIError.invalid("types", "unknown type \(name); known: \(known.sorted().map(\.rawValue).joined(separator: " "))")
            }
            types = Set(names.map { PIIEntityType(rawValue: $0) })
        }
        var operators = PIIOperators()
        func parse(_ spelling: String, field: String) throws -> PIIOperator {
            let op: PIIOperator
            do { op = try PIIOperator(parsing: spelling) } catch { throw APIError.invalid(field, "\(error)") }
            if op == .hash { throw APIError.invalid(field, "the hash operator needs a key, and this service has none configured") }
            return op
        }
        if let spelling = body.defaultOperator { operators.defaultOperator = try parse(spelling, field: "operator") }
        for (type, spelling) in body.operators ?? [:] {
            operators.byType[PIIEntityType(rawValue: type)] = try parse(spelling, field: "operators")
        }
        return PIIRedactor(analyzer: analyzer, types: types, operators: operators)
    }
}
