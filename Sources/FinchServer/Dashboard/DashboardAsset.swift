/// One static file of the dashboard, compiled into the binary: its file name under `/dashboard/`,
/// its media type and its bytes.
public struct DashboardAsset: Sendable {
    /// The file name, as requested at `/dashboard/<name>` (`app.js`).
    public let name: String
    /// The `Content-Type` it is served with.
    public let contentType: String
    /// The file's bytes, as they are in `Sources/FinchServer/Dashboard/Web/`.
    public let bytes: [UInt8]
    /// A strong validator of the bytes (64-bit FNV-1a, hex, quoted) for `ETag` / `If-None-Match`.
    public let entityTag: String

    /// Creates an asset; the media type follows the file's extension.
    public init(name: String, bytes: [UInt8]) {
        self.name = name
        self.bytes = bytes
        self.contentType = Self.mediaType(forFileNamed: name)
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        self.entityTag = "\"" + String(repeating: "0", count: 16 - hex.count) + hex + "\""
    }

    /// The media type of a dashboard file, from its extension.
    static func mediaType(forFileNamed name: String) -> String {
        switch name.split(separator: ".").last {
        case "html": "text/html; charset=utf-8"
        case "css": "text/css; charset=utf-8"
        case "js": "text/javascript; charset=utf-8"
        case "svg": "image/svg+xml"
        case "json": "application/json"
        default: "application/octet-stream"
        }
    }
}
