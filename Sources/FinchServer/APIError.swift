import FinchApps
import Foundation
import Hummingbird

/// The one error shape of the API: `{"error": {"code", "message", "field"}}`
/// with an HTTP status, for 429 and 503 a `Retry-After` header, and for 405 an `Allow` header.
public struct APIError: Error, HTTPResponseError, Sendable {
    public var status: HTTPResponse.Status
    /// A stable machine-readable code (`unauthorized`, `invalid_request`, …).
    public var code: String
    public var message: String
    /// The request field at fault, when one is.
    public var field: String?
    public var retryAfterSeconds: Int?
    /// The methods the path answers (405's `Allow` header).
    public var allowedMethods: [String]?

    public init(
        _ status: HTTPResponse.Status, code: String, message: String, field: String? = nil, retryAfterSeconds: Int? = nil,
        allowedMethods: [String]? = nil
    ) {
        self.status = status
        self.code = code
        self.message = message
        self.field = field
        self.retryAfterSeconds = retryAfterSeconds
        self.allowedMethods = allowedMethods
    }

    /// 400 naming the field.
    public static func invalid(_ field: String, _ message: String) -> APIError {
        APIError(.badRequest, code: "invalid_request", message: message, field: field)
    }

    struct Body: Encodable {
        struct Detail: Encodable {
            var code: String
            var message: String
            var field: String?

            func encode(to encoder: any Encoder) throws {
                var c = encoder.container(keyedBy: CodingKeys.self)
                try c.encode(code, forKey: .code)
                try c.encode(message, forKey: .message)
                try c.encode(field, forKey: .field)  // null when absent, so the shape never changes
            }
            enum CodingKeys: String, CodingKey { case code, message, field }
        }
        var error: Detail
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers: HTTPFields = [.contentType: "application/json; charset=utf-8"]
        if let retryAfterSeconds { headers[.retryAfter] = String(retryAfterSeconds) }
        if let allowedMethods { headers[.allow] = allowedMethods.joined(separator: ", ") }
        let data = try JSONEncoder().encode(Body(error: .init(code: code, message: message, field: field)))
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// The API error for any error a handler threw: library errors keep their message.
    static func from(_ error: any Error) -> APIError {
        switch error {
        case let e as APIError: return e
        case let e as RegistryError:
            switch e {
            case .unknownModel, .unknownVersion: return APIError(.notFound, code: "model_not_found", message: e.description, field: "model")
            case .wrongKind: return APIError(.badRequest, code: "wrong_model_kind", message: e.description, field: "model")
            case .invalidName: return APIError(.badRequest, code: "invalid_request", message: e.description, field: "name")
            }
        case let e as CollectionError:
            switch e {
            case .unknownCollection: return APIError(.notFound, code: "collection_not_found", message: e.description, field: "collection")
            case .unknownEntry: return APIError(.notFound, code: "entry_not_found", message: e.description, field: "id")
            case .invalidName: return APIError(.badRequest, code: "invalid_request", message: e.description, field: "name")
            case .dimensionMismatch: return APIError(.conflict, code: "dimension_mismatch", message: e.description, field: "collection")
            }
        case let e as BatcherError:
            switch e {
            case .queueFull(_, let retry):
                return APIError(.serviceUnavailable, code: "overloaded", message: e.description, retryAfterSeconds: retry)
            case .deadlineExceeded: return APIError(.gatewayTimeout, code: "timeout", message: e.description)
            case .stopped: return APIError(.serviceUnavailable, code: "unavailable", message: e.description, retryAfterSeconds: 1)
            }
        case is CancellationError:
            // The request's task was cancelled (its client left, or shutdown ran out of grace) while it waited for a batch.
            return APIError(
                .serviceUnavailable, code: "unavailable", message: "the request was cancelled before its forward pass",
                retryAfterSeconds: 1)
        case let e as RecommendServiceError: return e.apiError
        case let e as ModelFolderError:
            return APIError(.badRequest, code: "invalid_model_folder", message: e.description, field: "path")
        case let e as HTTPError:
            return APIError(e.status, code: Self.code(for: e.status), message: e.body ?? e.status.reasonPhrase)
        default:
            return APIError(.internalServerError, code: "internal", message: "internal error: \(error)")
        }
    }

    static func code(for status: HTTPResponse.Status) -> String {
        switch status.code {
        case 400: "invalid_request"
        case 401: "unauthorized"
        case 403: "forbidden"
        case 404: "not_found"
        case 405: "method_not_allowed"
        case 413: "payload_too_large"
        case 429: "rate_limited"
        case 503: "unavailable"
        case 504: "timeout"
        default: "http_\(status.code)"
        }
    }
}
