/// An image model or image training request that cannot be used; cases name the file or flag.
public enum ImageTrainingError: Error, Equatable, Sendable, CustomStringConvertible {
    /// An image classifier's `config.json` is not one Finch wrote.
    case invalidConfig(file: String, reason: String)
    /// LeNet reads square images; the data's are not and no size was given.
    case nonSquareInput(file: String, height: Int, width: Int)
    /// A setting outside its range (`setting` is the option's name).
    case invalidSetting(setting: String, reason: String)
    /// Too few images to hold out a development part.
    case tooFewImages(path: String, count: Int)

    /// A one-line message.
    public var description: String {
        switch self {
        case let .invalidConfig(file, reason): return "\(file): not an image classifier config: \(reason)"
        case let .nonSquareInput(file, height, width):
            return "\(file): the images are \(height)x\(width); LeNet reads square images, give --image-size"
        case let .invalidSetting(setting, reason): return "\(setting) \(reason)"
        case let .tooFewImages(path, count):
            return "\(path): \(count) images; at least 2 are needed to hold out a development part (or give --dev)"
        }
    }
}
