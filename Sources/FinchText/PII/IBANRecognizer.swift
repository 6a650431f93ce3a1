/// International bank account numbers: a country code, two check digits and
/// the national part, compact or in groups of four split by single spaces.
/// The length must be the one registered for the country (ISO 13616 registry)
/// and the whole must pass the mod-97 check (remainder 1).
public struct IBANRecognizer: PIIRecognizer {
    public let name = "IBANRecognizer"
    public let supportedTypes: Set<PIIEntityType> = [.ibanCode]

    /// The recognizer.
    public init() {}

    /// IBAN length per country (ISO 13616 registry).
    static let lengths: [String: Int] = [
        "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22, "BI": 27, "BR": 29,
        "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DJ": 27, "DK": 18, "DO": 28, "EE": 20, "EG": 29,
        "ES": 24, "FI": 18, "FK": 18, "FO": 18, "FR": 27, "GB": 22, "GE": 22, "GI": 23, "GL": 18, "GR": 27, "GT": 28,
        "HR": 21, "HU": 28, "IE": 22, "IL": 23, "IQ": 23, "IS": 26, "IT": 27, "JO": 30, "KW": 30, "KZ": 20, "LB": 28,
        "LC": 32, "LI": 21, "LT": 20, "LU": 20, "LV": 21, "LY": 25, "MC": 27, "MD": 24, "ME": 22, "MK": 19, "MN": 20,
        "MR": 27, "MT": 31, "MU": 30, "NI": 28, "NL": 18, "NO": 15, "OM": 23, "PK": 24, "PL": 28, "PS": 29, "PT": 25,
        "QA": 29, "RO": 24, "RS": 22, "RU": 33, "SA": 24, "SC": 31, "SD": 18, "SE": 24, "SI": 19, "SK": 24, "SM": 27,
        "SO": 23, "ST": 25, "SV": 28, "TL": 23, "TN": 24, "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20, "YE": 30,
    ]

    public func findings(in text: PIIText) -> [PIIFinding] {
        let s = text.scalars
        var out: [PIIFinding] = []
        var i = 0
        while i + 4 <= s.count {
            defer { i += 1 }
            guard Self.isUpper(s[i]), Self.isUpper(s[i + 1]), Self.isDigit(s[i + 2]), Self.isDigit(s[i + 3]),
                !text.isASCIIAlphanumeric(at: i - 1),
                let length = Self.lengths[String(String.UnicodeScalarView([s[i], s[i + 1]]))]
            else { continue }
            // Collect `length` characters; a single space is allowed after every fourth one.
            var compact: [Unicode.Scalar] = []
            var j = i
            while compact.count < length && j < s.count {
                if Self.isUpper(s[j]) || Self.isDigit(s[j]) {
                    compact.append(s[j])
                    j += 1
                } else if s[j] == " " && compact.count % 4 == 0 && compact.count > 0 && j + 1 < s.count
                    && (Self.isUpper(s[j + 1]) || Self.isDigit(s[j + 1]))
                {
                    j += 1
                } else {
                    break
                }
            }
            guard compact.count == length, !text.isASCIIAlphanumeric(at: j), Self.passesMod97(compact) else { continue }
            out.append(PIIFinding(type: .ibanCode, start: i, end: j, score: 1.0, recognizer: name))
            i = j - 1
        }
        return out
    }

    /// ISO 7064 MOD 97-10 as IBANs use it: the first four characters moved to the
    /// end, letters as 10...35, the number mod 97 must be 1.
    static func passesMod97(_ compact: [Unicode.Scalar]) -> Bool {
        var remainder = 0
        for s in compact.dropFirst(4) + compact.prefix(4) {
            if isDigit(s) {
                remainder = (remainder * 10 + Int(s.value - 48)) % 97
            } else {
                remainder = (remainder * 100 + Int(s.value - 55)) % 97
            }
        }
        return remainder == 1
    }

    private static func isUpper(_ s: Unicode.Scalar) -> Bool { s.value >= 65 && s.value <= 90 }
    private static func isDigit(_ s: Unicode.Scalar) -> Bool { s.value >= 48 && s.value <= 57 }
}
