/// An item of the catalogue as the serving model knows it: what people see
/// (title), how it is filtered (categories, availability) and the text
/// embedding of its description (computed outside FinchRecommend by a
/// sentence encoder; nil when the item has no text).
public struct CatalogItem: Sendable, Equatable {
    /// External item id.
    public var id: String
    /// Display title ("" when unknown).
    public var title: String
    /// Categories, for filters, the cold-start user fallback and reasons.
    public var categories: [String]
    /// False hides the item from every list.
    public var isAvailable: Bool
    /// The text embedding of the item's description.
    public var embedding: [Float]?

    /// Creates an item.
    public init(id: String, title: String = "", categories: [String] = [], isAvailable: Bool = true, embedding: [Float]? = nil) {
        self.id = id
        self.title = title
        self.categories = categories
        self.isAvailable = isAvailable
        self.embedding = embedding
    }

    /// The title, or the id when there is none.
    public var displayName: String { title.isEmpty ? id : title }
}
