/// One piece of personal data found in a text.
///
/// `start` and `end` are Unicode scalar (code point) offsets into the text,
/// as Python counts string indices, so they agree with Presidio's and with
/// `finch tokenize`'s offsets; `end` is exclusive.
public struct PIIFinding: Hashable, Sendable, Codable {
    /// What was found.
    public var type: PIIEntityType
    /// First scalar of the finding.
    public var start: Int
    /// One past the last scalar.
    public var end: Int
    /// Confidence in 0...1 (validated checksums score 1).
    public var score: Double
    /// Name of the recognizer that fired.
    public var recognizer: String

    /// A finding.
    public init(type: PIIEntityType, start: Int, end: Int, score: Double, recognizer: String) {
        self.type = type
        self.start = start
        self.end = end
        self.score = score
        self.recognizer = recognizer
    }

    /// Number of scalars covered.
    public var length: Int { end - start }

    /// Whether the two findings share at least one scalar.
    public func overlaps(_ other: PIIFinding) -> Bool { start < other.end && other.start < end }
}
