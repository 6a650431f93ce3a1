/// Telephone numbers in the formats people write:
/// - Chinese mobiles: `1[3-9]` and nine digits, whole or as 3-4-4 groups,
///   optionally after `+86`, `0086` or `86`;
/// - North American (NANP): `(555) 123-4567`, `555-123-4567`, `555.123.4567`,
///   optionally after `+1`, `1` or `001`, with an extension (`x123`, `ext. 12`); ten
///   digits in one run (`4155552671`) only after a context word;
/// - international (E.164 and written forms): `+` and a country code, then
///   groups, 8 to 15 digits in all;
/// - national European and Chinese landline forms: a trunk `0`, an area code and
///   groups (`020 7946 0958`, `030/1234567`, `(010) 12345678`, `0755-12345678`),
///   9 to 12 digits in all.
/// A number inside a longer run of digits or letters is never matched. A
/// context word ("phone", "tel", "电话", "手机", …) raises the score.
public struct PhoneRecognizer: PIIRecognizer {
    public let name = "PhoneRecognizer"
    public let supportedTypes: Set<PIIEntityType> = [.phoneNumber]

    /// Words that make a number more likely a phone number.
    static let context = [
        "phone", "tel", "call", "mobile", "cell", "fax", "contact", "whatsapp", "reach", "dial", "number", "电话", "手机", "联系",
        "致电", "号码", "传真",
    ]

    /// The recognizer.
    public init() {}

    private static let extensionSuffix = #"(?:[ ]?(?:x|ext\.?|extension)[ ]?[0-9]{1,5})?"#
    private static let chineseMobile = PIIPattern(
        PIIPattern.numberStart + #"(?:(?:\+86|0086|86)[ \-]?)?1[3-9][0-9](?:[0-9]{8}|[ \-][0-9]{4}[ \-][0-9]{4})"#
            + PIIPattern.numberEnd)
    private static let northAmerican = PIIPattern(
        PIIPattern.numberStart + #"(?:(?:\+1|001|1)[\-. ]?)?(?:\(([0-9]{3})\)[\-. ]?|([0-9]{3})[\-. ])([0-9]{3})[\-. ][0-9]{4}"#
            + extensionSuffix + PIIPattern.numberEnd)
    private static let northAmericanDigits = PIIPattern(
        PIIPattern.numberStart + #"(?:\+?1)?[2-9][0-9]{2}[2-9][0-9]{6}"# + PIIPattern.numberEnd)
    private static let international = PIIPattern(
        PIIPattern.numberStart + #"(?:\+|00)[1-9][0-9]{0,2}(?:[ .\-]?(?:\([0-9]{1,4}\)|[0-9]{1,12}+)){1,7}"# + extensionSuffix
            + PIIPattern.numberEnd)
    private static let national = PIIPattern(
        PIIPattern.numberStart + #"(?:\(0[1-9][0-9]{0,3}\)[ \-]?|0[1-9][0-9]{0,3}[ \-/.]?)[0-9]{2,8}(?:[ \-.][0-9]{2,8}){0,3}"#
            + extensionSuffix + PIIPattern.numberEnd)

    public func findings(in text: PIIText) -> [PIIFinding] {
        var out: [PIIFinding] = []
        func add(_ start: Int, _ end: Int, _ score: Double) {
            let boosted = text.hasContext(Self.context, start: start, end: end, before: 30, after: 0) ? min(1, score + 0.2) : score
            out.append(PIIFinding(type: .phoneNumber, start: start, end: end, score: boosted, recognizer: name))
        }
        for m in Self.chineseMobile.matches(in: text) { add(m.start, m.end, 0.9) }
        for m in Self.northAmerican.matches(in: text) {
            let area = (m.groups[1] ?? m.groups[2]).map { text.scalars[$0.lowerBound] }
            let exchange = m.groups[3].map { text.scalars[$0.lowerBound] }
            let plausible = [area, exchange].allSatisfy { $0.map { $0.value >= 50 && $0.value <= 57 } ?? false }
            add(m.start, m.end, plausible ? 0.7 : 0.5)
        }
        // Ten digits in one run are a phone number only with a context word before them.
        for m in Self.northAmericanDigits.matches(in: text)
        where text.hasContext(Self.context, start: m.start, end: m.end, before: 30, after: 0) {
            add(m.start, m.end, 0.4)
        }
        for m in Self.international.matches(in: text) {
            if let end = Self.longestPlausibleEnd(text, m.start, m.end, digits: 8...15) { add(m.start, end, 0.7) }
        }
        for m in Self.national.matches(in: text) {
            if let end = Self.longestPlausibleEnd(text, m.start, m.end, digits: 9...12) { add(m.start, end, 0.5) }
        }
        return PIIAnalyzer.resolveOverlaps(out)
    }

    /// The end of the longest prefix of the match, cut only before a separator
    /// (or before an extension), whose digit count is in `digits`; nil if none.
    /// "+44 20 7946 0958 2024" is cut back to "+44 20 7946 0958" only when the
    /// whole has too many digits.
    static func longestPlausibleEnd(_ text: PIIText, _ start: Int, _ end: Int, digits: ClosedRange<Int>) -> Int? {
        let s = text.scalars
        var cuts = [end]
        for i in stride(from: end - 1, to: start, by: -1) where isSeparator(s[i]) && isDigitOrParen(s[i - 1]) {
            cuts.append(i)
        }
        for cut in cuts {
            let main = mainDigits(text, start, cut)
            if digits.contains(main) { return cut }
        }
        return nil
    }

    /// Digits before an extension marker (`x`, `ext`).
    private static func mainDigits(_ text: PIIText, _ start: Int, _ end: Int) -> Int {
        var count = 0
        for s in text.scalars[start..<end] {
            if s == "x" || s == "e" { break }
            if s.value >= 48 && s.value <= 57 { count += 1 }
        }
        return count
    }

    private static func isSeparator(_ s: Unicode.Scalar) -> Bool { s == " " || s == "-" || s == "." || s == "/" }
    private static func isDigitOrParen(_ s: Unicode.Scalar) -> Bool { (s.value >= 48 && s.value <= 57) || s == ")" }
}
