import FinchApps
import Foundation
import Hummingbird

/// JSON responses with the timing headers.
enum JSONResponse {
    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.withoutEscapingSlashes]
        e.dateEncodingStrategy = .iso8601
        return e
    }()

    /// `value` as JSON with `status`; when `timing` is given, the headers
    /// `x-queue-time`, `x-tokenization-time`, `x-inference-time` (TEI's names,
    /// milliseconds), `x-batch-size`, and `x-truncated` (indices of cut inputs)
    /// when any was cut.
    static func make(
        _ value: some Encodable, status: HTTPResponse.Status = .ok, timing: InferenceTiming? = nil, truncated: [Int] = [],
        tokens: Int? = nil
    ) throws -> Response {
        var headers: HTTPFields = [.contentType: "application/json; charset=utf-8"]
        if let timing {
            func ms(_ s: Double) -> String { String(format: "%.3f", s * 1000) }
            headers[.init("x-queue-time")!] = ms(timing.queueSeconds)
            headers[.init("x-tokenization-time")!] = ms(timing.tokenizationSeconds)
            headers[.init("x-inference-time")!] = ms(timing.inferenceSeconds)
            headers[.init("x-batch-size")!] = String(timing.batchInputs)
        }
        if let tokens { headers[.init("x-compute-tokens")!] = String(tokens) }
        if !truncated.isEmpty { headers[.init("x-truncated")!] = truncated.map(String.init).joined(separator: ",") }
        let data = try encoder.encode(value)
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
