/// A custom regular expression from configuration (ICU syntax, as
/// `NSRegularExpression` reads it); every match is reported as its type.
public struct PatternRecognizer: PIIRecognizer {
    public let name: String
    /// The type reported.
    public let type: PIIEntityType
    /// The score of each finding.
    public let score: Double
    private let pattern: PIIPattern
    public var supportedTypes: Set<PIIEntityType> { [type] }

    /// A recognizer for `regex`; throws `NSRegularExpression`'s error when it does not compile.
    public init(type: PIIEntityType, regex: String, score: Double = 0.8, caseInsensitive: Bool = false, name: String = "PatternRecognizer")
        throws
    {
        self.type = type
        self.score = score
        self.name = name
        self.pattern = try PIIPattern(checking: regex, caseInsensitive: caseInsensitive)
    }

    public func findings(in text: PIIText) -> [PIIFinding] {
        pattern.matches(in: text).map { PIIFinding(type: type, start: $0.start, end: $0.end, score: score, recognizer: name) }
    }
}
