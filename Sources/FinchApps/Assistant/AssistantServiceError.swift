/// Why a request to the assistant service failed.
public enum AssistantServiceError: Error, Equatable, CustomStringConvertible {
    /// No assistant collection has this name.
    case unknownCollection(name: String)
    /// The collection has no entry with this id.
    case unknownEntry(collection: String, id: String)
    /// The collection has no open hand-off with this id (none, or already resolved).
    case unknownHandoff(collection: String, id: String)
    /// A name with characters outside [A-Za-z0-9._-] or longer than 64.
    case invalidName(String)
    /// A setting out of its range (`field` names it).
    case invalidSetting(field: String, reason: String)
    /// The collection holds vectors of `stored` values, its model now gives `model`: import it again.
    case dimensionMismatch(collection: String, stored: Int, model: Int)

    public var description: String {
        switch self {
        case .unknownCollection(let name): "no assistant collection named \"\(name)\""
        case .unknownEntry(let collection, let id): "assistant collection \"\(collection)\" has no entry \"\(id)\""
        case .unknownHandoff(let collection, let id): "assistant collection \"\(collection)\" has no open hand-off \"\(id)\""
        case .invalidName(let name): "collection name \"\(name)\" must be 1–64 characters of A-Z a-z 0-9 . _ -"
        case .invalidSetting(let field, let reason): "\(field): \(reason)"
        case .dimensionMismatch(let collection, let stored, let model):
            "assistant collection \"\(collection)\" holds vectors of \(stored) values but its model now gives \(model); "
                + "import the collection again"
        }
    }
}
