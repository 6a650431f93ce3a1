/// An entity found in a text: whole words only, character offsets (Unicode
/// scalars, end exclusive) into the input.
public struct EntityPrediction: Codable, Sendable, Equatable {
    /// The entity as written in the input.
    public var text: String
    /// The entity type (`PER`, `LOC`, …).
    public var label: String
    /// Offset of its first Unicode scalar.
    public var start: Int
    /// Offset just past its last Unicode scalar.
    public var end: Int
    /// Mean probability of the entity's word tags.
    public var score: Double
}
