/// Dates of birth: a real calendar date (1900–2099) in a common written form
/// — `1990-04-23`, `1990/4/23`, `04/23/1990`, `23.04.1990`, `April 23, 1990`,
/// `23 April 1990`, `1990年4月23日` — that a birth context word ("born",
/// "DOB", "date of birth", "出生", "生日", …) claims: the word stands before
/// the date within 40 scalars with no other date and no sentence end between them, or ("…出生", "… born")
/// right after it. A date without such a word ("Apple 2024-01-01")
/// is not reported. The type is Presidio's `DATE_TIME`.
public struct DateOfBirthRecognizer: PIIRecognizer {
    public let name = "DateOfBirthRecognizer"
    public let supportedTypes: Set<PIIEntityType> = [.dateTime]

    /// Context words before the date.
    static let contextBefore = [
        "born", "birth", "dob", "d.o.b", "birthday", "b-day", "出生", "生日", "生于", "诞生",
    ]
    /// Context words right after the date.
    static let contextAfter = ["出生", "born"]

    /// The recognizer.
    public init() {}

    private static let months =
        "jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
    private static let ymd = PIIPattern(PIIPattern.numberStart + #"([0-9]{4})([\-/.])([0-9]{1,2})\2([0-9]{1,2})"# + PIIPattern.numberEnd)
    private static let numericDayFirstOrMonthFirst = PIIPattern(
        PIIPattern.numberStart + #"([0-9]{1,2})([\-/.])([0-9]{1,2})\2([0-9]{4})"# + PIIPattern.numberEnd)
    private static let monthName = PIIPattern(
        #"(?<![A-Za-z])("# + months + #")\.? ([0-9]{1,2})(?:st|nd|rd|th)?,? ([0-9]{4})(?![0-9])"#, caseInsensitive: true)
    private static let dayMonthName = PIIPattern(
        #"(?<![A-Za-z0-9])([0-9]{1,2})(?:st|nd|rd|th)? (?:of )?("# + months + #")\.?,? ([0-9]{4})(?![0-9])"#, caseInsensitive: true)
    private static let chinese = PIIPattern(#"(?<![0-9])([0-9]{4})年([0-9]{1,2})月([0-9]{1,2})[日号]"#)

    public func findings(in text: PIIText) -> [PIIFinding] {
        let dates = Self.dates(in: text)
        var out: [PIIFinding] = []
        for (k, date) in dates.enumerated() {
            let previousEnd = k > 0 ? dates[k - 1].upperBound : 0
            var windowStart = max(previousEnd, date.lowerBound - 40)
            if let stop = (windowStart..<date.lowerBound).last(where: { Self.endsSentence(text, at: $0) }) { windowStart = stop + 1 }
            let before = Self.contextBefore.contains { !text.occurrences(of: $0, in: windowStart..<date.lowerBound).isEmpty }
            var afterEnd = min(text.scalars.count, date.upperBound + 6)
            if let stop = (date.upperBound..<afterEnd).first(where: { Self.endsSentence(text, at: $0) }) { afterEnd = stop }
            let after = Self.contextAfter.contains { !text.occurrences(of: $0, in: date.upperBound..<afterEnd).isEmpty }
            if before || after {
                out.append(PIIFinding(type: .dateTime, start: date.lowerBound, end: date.upperBound, score: 0.85, recognizer: name))
            }
        }
        return out
    }

    /// Whether the scalar at `i` ends a sentence, so context does not reach across it:
    /// `。！？；`, a line break, or `.`/`!`/`?`/`;` after a lower-case letter or a digit
    /// that is not part of an abbreviation with dots ("D.O.B.", "d.o.b." are no sentence end; "in 1950." is).
    static func endsSentence(_ text: PIIText, at i: Int) -> Bool {
        let s = text.scalars[i]
        if "。！？；\n".unicodeScalars.contains(s) { return true }
        guard ".!?;".unicodeScalars.contains(s), i > 0, !(i > 1 && text.scalars[i - 2] == ".") else { return false }
        if i + 1 < text.scalars.count && !text.scalars[i + 1].properties.isWhitespace { return false }  // "d.o.b", "e.g"
        let before = text.scalars[i - 1]
        return (before.value >= 97 && before.value <= 122) || (before.value >= 48 && before.value <= 57)
    }

    /// Every valid date in the text, by start offset, overlaps removed (longest first).
    static func dates(in text: PIIText) -> [Range<Int>] {
        var found: [Range<Int>] = []
        func number(_ r: Range<Int>?) -> Int { r.map { text.digits($0.lowerBound, $0.upperBound).reduce(0) { $0 * 10 + $1 } } ?? 0 }
        func valid(_ y: Int, _ m: Int, _ d: Int) -> Bool { (1900...2099).contains(y) && CalendarDate.isValid(year: y, month: m, day: d) }
        for m in ymd.matches(in: text) where valid(number(m.groups[1]), number(m.groups[3]), number(m.groups[4])) {
            found.append(m.start..<m.end)
        }
        for m in numericDayFirstOrMonthFirst.matches(in: text) {
            let a = number(m.groups[1]), b = number(m.groups[3]), y = number(m.groups[4])
            if valid(y, a, b) || valid(y, b, a) { found.append(m.start..<m.end) }
        }
        for m in monthName.matches(in: text) {
            if let month = monthNumber(text, m.groups[1]), valid(number(m.groups[3]), month, number(m.groups[2])) {
                found.append(m.start..<m.end)
            }
        }
        for m in dayMonthName.matches(in: text) {
            if let month = monthNumber(text, m.groups[2]), valid(number(m.groups[3]), month, number(m.groups[1])) {
                found.append(m.start..<m.end)
            }
        }
        for m in chinese.matches(in: text) where valid(number(m.groups[1]), number(m.groups[2]), number(m.groups[3])) {
            found.append(m.start..<m.end)
        }
        found.sort { ($0.lowerBound, -$0.count) < ($1.lowerBound, -$1.count) }
        var kept: [Range<Int>] = []
        for r in found where !(kept.last.map { $0.overlaps(r) } ?? false) { kept.append(r) }
        return kept
    }

    private static func monthNumber(_ text: PIIText, _ range: Range<Int>?) -> Int? {
        guard let range else { return nil }
        let prefix = String(text.slice(range.lowerBound, range.upperBound).lowercased().prefix(3))
        let names = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
        return names.firstIndex(of: prefix).map { $0 + 1 }
    }
}
