/// Custom deny-lists: each listed value is reported wherever it occurs, as
/// the list's type. ASCII letters compare without case; a value that begins
/// or ends with an ASCII letter or digit must not touch another one there
/// (so "Ann" is not found in "Anna"); CJK values match anywhere.
public struct DenyListRecognizer: PIIRecognizer {
    public let name = "DenyListRecognizer"
    /// The type reported.
    public let type: PIIEntityType
    /// The values looked for.
    public let values: [String]
    /// The score of each finding.
    public let score: Double
    public var supportedTypes: Set<PIIEntityType> { [type] }

    /// A deny-list of `values` reported as `type`.
    public init(type: PIIEntityType, values: [String], score: Double = 1.0) {
        self.type = type
        self.values = values.filter { !$0.isEmpty }
        self.score = score
    }

    public func findings(in text: PIIText) -> [PIIFinding] {
        var out: [PIIFinding] = []
        for value in values {
            let word = Array(value.unicodeScalars)
            let checkStart = PIIText.isASCIIAlphanumeric(word[0])
            let checkEnd = PIIText.isASCIIAlphanumeric(word[word.count - 1])
            for start in text.occurrences(of: value, in: 0..<text.scalars.count) {
                let end = start + word.count
                if checkStart && text.isASCIIAlphanumeric(at: start - 1) { continue }
                if checkEnd && text.isASCIIAlphanumeric(at: end) { continue }
                out.append(PIIFinding(type: type, start: start, end: end, score: score, recognizer: name))
            }
        }
        return out
    }
}
