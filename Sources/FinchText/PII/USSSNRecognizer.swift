/// US social security numbers: `AAA-GG-SSSS`, with hyphens, spaces (one kind
/// throughout) or, only with a context word such as "SSN" nearby, none.
/// Numbers never issued are rejected: area 000, 666 or 900–999, group 00,
/// serial 0000, and the advertised sample 078-05-1120.
public struct USSSNRecognizer: PIIRecognizer {
    public let name = "UsSsnRecognizer"
    public let supportedTypes: Set<PIIEntityType> = [.usSSN]

    /// Context words that let an unseparated nine-digit number count.
    static let context = ["ssn", "social security", "social-security", "ss#", "ssa", "taxpayer", "社会安全号"]

    /// The recognizer.
    public init() {}

    private static let pattern = PIIPattern(
        PIIPattern.numberStart + #"([0-9]{3})([ \-]?)([0-9]{2})\2([0-9]{4})"# + PIIPattern.numberEnd)

    public func findings(in text: PIIText) -> [PIIFinding] {
        Self.pattern.matches(in: text).compactMap { m -> PIIFinding? in
            let d = text.digits(m.start, m.end)
            let area = d[0] * 100 + d[1] * 10 + d[2]
            let group = d[3] * 10 + d[4]
            let serial = d[5] * 1000 + d[6] * 100 + d[7] * 10 + d[8]
            guard area != 0, area != 666, area < 900, group != 0, serial != 0, !(area == 78 && group == 5 && serial == 1120)
            else { return nil }
            let separated = (m.groups[2].map { !$0.isEmpty }) ?? false
            let hasContext = text.hasContext(Self.context, start: m.start, end: m.end, before: 40, after: 0)
            if !separated && !hasContext { return nil }
            var score = separated ? (text.scalars[m.groups[2]!.lowerBound] == "-" ? 0.85 : 0.6) : 0.6
            if hasContext { score = min(1.0, score + 0.15) }
            return PIIFinding(type: .usSSN, start: m.start, end: m.end, score: score, recognizer: name)
        }
    }
}
