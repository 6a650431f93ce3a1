/// Web addresses: with a scheme (`https://`, `http://`, `ftp://`), starting
/// with `www.`, or a bare host name under a common top-level domain
/// (`example.com/path`). Trailing punctuation that ends a sentence (`.`, `,`,
/// `)` without its `(`, …) is not part of the address; an address never
/// starts inside an e-mail address or a longer word.
public struct URLRecognizer: PIIRecognizer {
    public let name = "UrlRecognizer"
    public let supportedTypes: Set<PIIEntityType> = [.url]

    /// The recognizer.
    public init() {}

    private static let urlCharacters = #"[A-Za-z0-9\-._~:/?#\[\]@!$&*+,;=%()]"#
    private static let withScheme = PIIPattern(#"(?<![A-Za-z0-9])(?:https?|ftp)://"# + urlCharacters + "+", caseInsensitive: true)
    private static let withWWW = PIIPattern(
        #"(?<![A-Za-z0-9./@\-])www\.[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+(?:[/?#]"# + urlCharacters + "*)?", caseInsensitive: true)
    private static let topLevelDomains =
        "com|org|net|edu|gov|mil|int|io|ai|app|dev|info|biz|co|me|tv|cn|uk|de|fr|it|es|nl|be|ch|at|se|no|dk|fi|pl|ru|jp|kr|in|au|ca|br|mx|eu|us|hk|tw|sg"
    private static let bare = PIIPattern(
        #"(?<![A-Za-z0-9.@/\-_])(?:[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?\.)+(?:"# + topLevelDomains + #")(?:/"#
            + urlCharacters + #"*)?(?![A-Za-z0-9\-@_])"#, caseInsensitive: true)

    public func findings(in text: PIIText) -> [PIIFinding] {
        var out: [PIIFinding] = []
        for (pattern, score) in [(Self.withScheme, 0.9), (Self.withWWW, 0.8), (Self.bare, 0.6)] {
            for m in pattern.matches(in: text) {
                let end = Self.trimmedEnd(text, m.start, m.end)
                guard end > m.start, !(score == 0.6 && Self.isPartOfEmail(text, m.end)) else { continue }
                out.append(PIIFinding(type: .url, start: m.start, end: end, score: score, recognizer: name))
            }
        }
        return PIIAnalyzer.resolveOverlaps(out)
    }

    /// Drops sentence punctuation and unbalanced closing brackets at the end.
    static func trimmedEnd(_ text: PIIText, _ start: Int, _ end: Int) -> Int {
        var end = end
        while end > start {
            let last = text.scalars[end - 1]
            if ".,;:!?'*".unicodeScalars.contains(last) {
                end -= 1
            } else if last == ")" || last == "]" {
                let open: Unicode.Scalar = last == ")" ? "(" : "["
                let opens = text.scalars[start..<end].filter { $0 == open }.count
                let closes = text.scalars[start..<end].filter { $0 == last }.count
                if closes > opens { end -= 1 } else { break }
            } else {
                break
            }
        }
        return end
    }

    private static func isPartOfEmail(_ text: PIIText, _ end: Int) -> Bool {
        end < text.scalars.count && text.scalars[end] == "@"
    }
}
