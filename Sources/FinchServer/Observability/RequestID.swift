import Hummingbird

/// The request id a client (or nginx, which sets `X-Request-Id: $request_id` when the client sent
/// none) hands in with `X-Request-Id`: kept when it is 1–`maxLength` characters of
/// `A-Z a-z 0-9 . _ : -` (a UUID, nginx's 32 hex digits, a trace id), else replaced by the id
/// Hummingbird generated. Either way it is echoed in the response, written in the access log line and
/// in every log line of the request, so one id follows a request from nginx through an instance.
public enum RequestID {
    /// The header's name.
    public static let header = HTTPFields.Element.Name("x-request-id")!
    /// The longest id kept (longer ones are replaced, never cut: a cut id would match nothing).
    public static let maxLength = 128

    /// `value` when it is an id this service keeps, nil otherwise.
    public static func accepted(_ value: String?) -> String? {
        guard let value, !value.isEmpty, value.utf8.count <= maxLength else { return nil }
        let valid = value.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                true
            case UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: ":"), UInt8(ascii: "-"): true
            default: false
            }
        }
        return valid ? value : nil
    }
}
