/// A tokenized classification example.
public struct EncodedClassificationExample: Sendable {
    /// Token ids, special tokens included.
    public var ids: [Int]
    /// Token type (segment) ids, 0 for the first text and 1 for the pair.
    public var typeIDs: [Int]
    /// Label id (−1 when unknown, for prediction; unused for multi-label).
    public var label: Int
    /// Multi-label: the ids of every label of the example.
    public var labelSet: [Int] = []
    /// Line of the example in its file (0 when not from a file).
    public var line: Int
}
