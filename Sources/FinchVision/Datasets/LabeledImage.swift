/// One image file of a data set and its class.
public struct LabeledImage: Equatable, Sendable {
    /// The file, as a path the user can open (folder layout: under the root; CSV list:
    /// resolved against the list's folder).
    public let path: String
    /// Index into the data set's `classes`.
    public let label: Int
    /// The 1-based line of a CSV list the image comes from (nil in the folder layout).
    public let line: Int?

    /// An image file with its class index.
    public init(path: String, label: Int, line: Int? = nil) {
        self.path = path
        self.label = label
        self.line = line
    }
}
