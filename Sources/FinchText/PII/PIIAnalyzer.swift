/// Runs recognizers over a text and resolves their overlapping findings.
public struct PIIAnalyzer: Sendable {
    /// The recognizers, in the order they run.
    public var recognizers: [any PIIRecognizer]

    /// An analyzer over `recognizers`.
    public init(recognizers: [any PIIRecognizer]) { self.recognizers = recognizers }

    /// The built-in pattern recognizers (every type in `PIIEntityType.patternTypes`),
    /// then the configuration's deny-lists and patterns, then names through `nameTagger` if given.
    public static func standard(configuration: PIIConfiguration = PIIConfiguration(), nameTagger: (any PIINameTagger)? = nil)
        throws -> PIIAnalyzer
    {
        var recognizers: [any PIIRecognizer] = [
            EmailRecognizer(), PhoneRecognizer(), CreditCardRecognizer(), IBANRecognizer(), USSSNRecognizer(),
            ChineseResidentIDRecognizer(), IPAddressRecognizer(), URLRecognizer(), DateOfBirthRecognizer(),
        ]
        recognizers += try configuration.recognizers()
        if let nameTagger { recognizers.append(NameRecognizer(tagger: nameTagger)) }
        return PIIAnalyzer(recognizers: recognizers)
    }

    /// Every type some recognizer can report.
    public var supportedTypes: Set<PIIEntityType> { recognizers.reduce(into: []) { $0.formUnion($1.supportedTypes) } }

    /// The findings in `text` (only `types` when given, only scores ≥ `minimumScore`),
    /// overlaps resolved, ordered by start.
    public func analyze(_ text: String, types: Set<PIIEntityType>? = nil, minimumScore: Double = 0) throws -> [PIIFinding] {
        let prepared = PIIText(text)
        var all: [PIIFinding] = []
        for recognizer in recognizers {
            if let types, types.isDisjoint(with: recognizer.supportedTypes) { continue }
            for finding in try recognizer.findings(in: prepared)
            where finding.score >= minimumScore && (types?.contains(finding.type) ?? true) {
                all.append(finding)
            }
        }
        return Self.resolveOverlaps(all)
    }

    /// Keeps, among findings that share scalars, the one with the highest
    /// score, then the longest, then the earliest (then the first reported);
    /// the result is ordered by start.
    public static func resolveOverlaps(_ findings: [PIIFinding]) -> [PIIFinding] {
        let ranked = findings.enumerated().sorted { a, b in
            if a.element.score != b.element.score { return a.element.score > b.element.score }
            if a.element.length != b.element.length { return a.element.length > b.element.length }
            if a.element.start != b.element.start { return a.element.start < b.element.start }
            return a.offset < b.offset
        }
        var kept: [PIIFinding] = []
        for (_, finding) in ranked where !kept.contains(where: { $0.overlaps(finding) }) { kept.append(finding) }
        return kept.sorted { $0.start < $1.start }
    }
}
