/// The channels a decoded image has: what a model expects, whatever the file holds.
public enum ImageColorMode: String, Codable, CaseIterable, Sendable {
    /// One channel, Pillow's mode "L" (RGB becomes L = 0.299 R + 0.587 G + 0.114 B, rounded).
    case gray
    /// Three channels, Pillow's mode "RGB" (gray values are repeated).
    case rgb

    /// 1 or 3.
    public var channels: Int { self == .gray ? 1 : 3 }
}
