/// A file or folder a run wrote: the model, its checkpoint, its curves, its card.
public struct RunArtefact: Codable, Sendable, Equatable {
    /// A short name (`model`, `checkpoint`, `metrics`, `curves`, `card`, `folder`).
    public var name: String
    /// The path as the run saw it.
    public var path: String

    /// An artefact.
    public init(name: String, path: String) {
        self.name = name
        self.path = path
    }
}

/// The SHA-256 of a data file (or of a folder of files) a run read.
public struct RunDataHash: Codable, Sendable, Equatable {
    /// `train`, `dev`, `data`, …
    public var role: String
    /// The path as given.
    public var path: String
    /// Lower-case hex SHA-256 (of a folder: of its sorted file list with each file's hash).
    public var sha256: String

    /// A hash record.
    public init(role: String, path: String, sha256: String) {
        self.role = role
        self.path = path
        self.sha256 = sha256
    }
}
