/// A tokenized tagged sentence: pieces, the label of each piece (−100 where
/// the loss ignores it) and the first piece of every word (nil when cut off).
public struct EncodedTaggedExample: Sendable {
    /// Piece ids, special tokens included.
    public var ids: [Int]
    /// Token type ids (all 0).
    public var typeIDs: [Int]
    /// The label of each piece, −100 where the loss ignores it.
    public var labels: [Int]
    /// Per word, the position of its first piece (nil when cut off).
    public var firstPiece: [Int?]
    /// The tag of every word (including words cut off by the length limit); empty when unknown.
    public var wordTags: [Int]
    /// Line of the sentence in its file (0 when not from a file).
    public var line: Int
}
