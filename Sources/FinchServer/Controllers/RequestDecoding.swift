import FinchApps
import Foundation
import Hummingbird
import NIOCore

/// The limits every controller checks, from the configuration.
struct InputLimits: Sendable {
    var maxBodyBytes: Int
    var maxInputs: Int
    var maxCharacters: Int

    /// 400 naming `field` (or `field[i]`) when there are no texts, too many, or one too long
    /// (more than `maxCharacters` Unicode scalars).
    func check(_ texts: [String], field: String, allowEmptyList: Bool = false) throws {
        if texts.isEmpty && !allowEmptyList { throw APIError.invalid(field, "\(field) must hold at least one text") }
        if texts.count > maxInputs {
            throw APIError.invalid(field, "\(field) holds \(texts.count) texts, more than the limit of \(maxInputs)")
        }
        // Characters are Unicode scalars (code points), as JSON Schema's `maxLength` in openapi.yaml counts them.
        for (i, text) in texts.enumerated() where text.unicodeScalars.count > maxCharacters {
            throw APIError.invalid(
                "\(field)[\(i)]",
                "\(field)[\(i)] has \(text.unicodeScalars.count) characters, more than the limit of \(maxCharacters)")
        }
    }
}

extension Request {
    /// Collects the body (413 above `limit` bytes) and decodes it as JSON;
    /// malformed JSON, a missing field or a wrong type give 400 naming the field.
    mutating func decodeJSON<T: Decodable>(_ type: T.Type, limit: Int) async throws -> T {
        let buffer: ByteBuffer
        do { buffer = try await collectBody(upTo: limit) } catch is NIOTooManyBytesError {
            throw APIError(
                .contentTooLarge, code: "payload_too_large", message: "the request body is larger than the limit of \(limit) bytes")
        }
        do {
            return try JSONDecoder().decode(T.self, from: Data(buffer: buffer))
        } catch let error as DecodingError {
            throw APIError.decoding(error)
        } catch let error as APIError {
            throw error
        }
    }
}

extension APIError {
    /// 400 naming the field a `DecodingError` points at.
    static func decoding(_ error: DecodingError) -> APIError {
        func path(_ keys: [any CodingKey]) -> String {
            keys.reduce("") { acc, key in
                if let i = key.intValue { return acc + "[\(i)]" }
                return acc.isEmpty ? key.stringValue : acc + "." + key.stringValue
            }
        }
        switch error {
        case .keyNotFound(let key, let context):
            let field = path(context.codingPath + [key])
            return .invalid(field, "missing field \(field)")
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            let field = path(context.codingPath)
            return .invalid(field.isEmpty ? "body" : field, "\(field.isEmpty ? "the body" : field): \(context.debugDescription)")
        case .dataCorrupted(let context):
            let field = path(context.codingPath)
            if field.isEmpty { return .invalid("body", "the body is not valid JSON") }
            return .invalid(field, "\(field): \(context.debugDescription)")
        @unknown default:
            return .invalid("body", "the body could not be read")
        }
    }
}

/// One text or a list of texts (TEI and OpenAI accept both).
struct TextList: Decodable, Sendable {
    var texts: [String]

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        do { texts = [try container.decode(String.self)] } catch DecodingError.typeMismatch {
            texts = try container.decode([String].self)
        }
    }
}

extension FinchRequestContext {
    /// The path parameter `name`, percent-decoded: the router hands parameters over as they were
    /// sent (`a%20b`), and names and ids are stored decoded (`a b`).
    /// - Throws: 400 naming the parameter when its percent-encoding is not valid UTF-8.
    func pathParameter(_ name: String) throws -> String {
        let raw = try parameters.require(name)
        guard let decoded = raw.removingPercentEncoding else {
            throw APIError.invalid(name, "\(name) is not valid percent-encoded UTF-8")
        }
        return decoded
    }
}
