/// A folder or list of labelled images that cannot be used. Cases name the folder or file
/// (and the 1-based line of a CSV list) so the message alone locates the problem.
public enum ImageDatasetError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The path is neither a folder nor a readable file.
    case notFound(path: String)
    /// An image folder has no class subfolders (torchvision: "Couldn't find any class folder").
    case noClassFolders(directory: String)
    /// A class folder holds no PNG or JPEG file.
    case emptyClass(directory: String, className: String)
    /// A class this data set names is not one of the model's (`known`).
    case unknownClass(file: String, line: Int?, className: String, known: [String])
    /// Fewer than two classes: nothing to tell apart.
    case singleClass(path: String, className: String)

    /// A one-line message that starts with the place.
    public var description: String {
        switch self {
        case let .notFound(path): return "\(path): no such folder or file"
        case let .noClassFolders(directory):
            return "\(directory): no class folders (expected one subfolder of images per class, as train/cat/*.png)"
        case let .emptyClass(directory, className):
            return "\(directory)/\(className): the class folder holds no .png, .jpg or .jpeg file"
        case let .unknownClass(file, line, className, known):
            let place = line.map { "\(file):\($0)" } ?? file
            return "\(place): class '\(className)' is not one of the model's classes (\(known.joined(separator: ", ")))"
        case let .singleClass(path, className):
            return "\(path): only one class ('\(className)'); a classifier needs at least two"
        }
    }
}
