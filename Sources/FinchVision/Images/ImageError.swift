/// A picture that cannot be used. Every case names the file (as the caller gave it, or
/// `<memory>` for bytes without one) and says what is wrong with it.
public enum ImageError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file could not be opened or read.
    case unreadableFile(file: String, reason: String)
    /// The bytes are neither PNG nor JPEG.
    case unknownFormat(file: String)
    /// The PNG or JPEG decoder rejected the data; `reason` is the library's message.
    case corrupt(file: String, reason: String)
    /// A valid image of a kind Finch does not read (CMYK JPEG, for one).
    case unsupported(file: String, reason: String)
    /// Width or height is zero, or the image is too large to decode.
    case badSize(file: String, reason: String)
    /// Memory ran out while decoding.
    case outOfMemory(file: String)
    /// The image does not have the size the model reads.
    case sizeMismatch(file: String, expected: [Int], found: [Int])

    /// The file the problem is in.
    public var file: String {
        switch self {
        case let .unreadableFile(file, _), let .unknownFormat(file), let .corrupt(file, _), let .unsupported(file, _),
            let .badSize(file, _), let .outOfMemory(file), let .sizeMismatch(file, _, _):
            return file
        }
    }

    /// A one-line message that starts with the file.
    public var description: String {
        switch self {
        case let .unreadableFile(file, reason): return "\(file): cannot read the image: \(reason)"
        case let .unknownFormat(file): return "\(file): not a PNG or JPEG image (unknown signature)"
        case let .corrupt(file, reason): return "\(file): corrupt image: \(reason)"
        case let .unsupported(file, reason): return "\(file): unsupported image: \(reason)"
        case let .badSize(file, reason): return "\(file): bad image size: \(reason)"
        case let .outOfMemory(file): return "\(file): out of memory while decoding the image"
        case let .sizeMismatch(file, expected, found):
            let show = { (shape: [Int]) in shape.map(String.init).joined(separator: "x") }
            return "\(file): image is \(show(found)) (channels x height x width), expected \(show(expected))"
        }
    }
}
