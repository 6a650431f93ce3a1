/// Chinese resident identity numbers (居民身份证号码, GB 11643-1999): 17 digits
/// and a check character (a digit or X). The first two digits must be a
/// province-level region code, digits 7–14 a real birth date from 1900 on,
/// and the check character the ISO 7064 MOD 11-2 one.
public struct ChineseResidentIDRecognizer: PIIRecognizer {
    public let name = "CnResidentIdRecognizer"
    public let supportedTypes: Set<PIIEntityType> = [.cnResidentID]

    /// The recognizer.
    public init() {}

    /// Province-level region codes (the first two digits), incl. Taiwan, Hong Kong, Macao
    /// and 83 (residence permits for Taiwan residents) and 91 (foreigners' permanent residence).
    static let provinces: Set<Int> = [
        11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61, 62,
        63, 64, 65, 71, 81, 82, 83, 91,
    ]

    private static let pattern = PIIPattern(#"(?<![A-Za-z0-9])[1-9][0-9]{16}[0-9Xx](?![A-Za-z0-9])"#)

    public func findings(in text: PIIText) -> [PIIFinding] {
        Self.pattern.matches(in: text).compactMap { m -> PIIFinding? in
            guard Self.isValid(Array(text.scalars[m.start..<m.end])) else { return nil }
            return PIIFinding(type: .cnResidentID, start: m.start, end: m.end, score: 1.0, recognizer: name)
        }
    }

    /// Whether 18 characters form a valid number (region, birth date, check character).
    static func isValid(_ chars: [Unicode.Scalar]) -> Bool {
        guard chars.count == 18 else { return false }
        var d: [Int] = []
        for c in chars.prefix(17) {
            guard c.value >= 48 && c.value <= 57 else { return false }
            d.append(Int(c.value - 48))
        }
        guard provinces.contains(d[0] * 10 + d[1]) else { return false }
        let year = d[6] * 1000 + d[7] * 100 + d[8] * 10 + d[9]
        let month = d[10] * 10 + d[11]
        let day = d[12] * 10 + d[13]
        guard (1900...2099).contains(year), CalendarDate.isValid(year: year, month: month, day: day) else { return false }
        return chars[17] == checkCharacter(d) || (chars[17] == "x" && checkCharacter(d) == "X")
    }

    /// ISO 7064 MOD 11-2 check character of the first 17 digits.
    static func checkCharacter(_ digits: [Int]) -> Unicode.Scalar {
        let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
        let sum = zip(digits, weights).reduce(0) { $0 + $1.0 * $1.1 }
        let table: [Unicode.Scalar] = ["1", "0", "X", "9", "8", "7", "6", "5", "4", "3", "2"]
        return table[sum % 11]
    }
}

/// Gregorian calendar dates without Foundation's calendar (no time zone, no locale).
enum CalendarDate {
    /// Whether `year-month-day` exists.
    static func isValid(year: Int, month: Int, day: Int) -> Bool {
        guard (1...12).contains(month), day >= 1 else { return false }
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        return day <= days[month - 1]
    }
}
