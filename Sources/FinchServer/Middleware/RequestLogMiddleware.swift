import Foundation
import Hummingbird
import Logging
import Metrics

/// The outermost middleware: renders every error in the API's one shape,
/// refuses bodies over the limit by their `Content-Length` (413), writes one
/// JSON log line per request (request id, method, route, status, duration,
/// key id — never the key or the text) and records the request metrics. A valid `X-Request-Id` from
/// the client or nginx replaces the generated id for the whole request (see `RequestID`).
struct RequestLogMiddleware: RouterMiddleware {
    typealias Context = FinchRequestContext
    let maxBodyBytes: Int
    let logger: Logger

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = DispatchTime.now().uptimeNanoseconds
        var context = context
        if let given = RequestID.accepted(request.headers[RequestID.header]) {
            context.logger[metadataKey: "hb.request.id"] = .string(given)
        }
        var response: Response
        do {
            if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > maxBodyBytes {
                throw APIError(
                    .contentTooLarge, code: "payload_too_large",
                    message: "the request body has \(length) bytes, more than the limit of \(maxBodyBytes)")
            }
            response = try await next(request, context)
        } catch {
            response = try APIError.from(error).response(from: request, context: context)
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let route = context.endpointPath ?? "(no route)"
        let status = String(response.status.code)
        response.headers[RequestID.header] = context.id
        if response.headers[.init("x-total-time")!] == nil {
            response.headers[.init("x-total-time")!] = String(Int((seconds * 1000).rounded()))
        }
        let dimensions = [("method", request.method.rawValue), ("route", route), ("status", status)]
        Counter(label: "finch_http_requests_total", dimensions: dimensions).increment()
        Timer(label: "finch_http_request_duration_seconds", dimensions: dimensions, preferredDisplayUnit: .seconds)
            .recordNanoseconds(Int64(seconds * 1e9))
        logger.info(
            "request",
            metadata: [
                "request_id": .string(context.id), "method": .string(request.method.rawValue), "route": .string(route),
                "status": .string(status), "duration_ms": .string(String(format: "%.2f", seconds * 1000)),
                "key_id": .string(context.info.keyID ?? "-"),
            ])
        return response
    }
}
