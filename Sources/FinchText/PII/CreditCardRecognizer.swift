/// Payment card numbers: 12 to 19 digits, in one run or in groups split by
/// one kind of separator (all spaces or all hyphens), with an issuer prefix
/// whose length is allowed (Visa, Mastercard, American Express, Discover,
/// JCB, Diners Club, UnionPay, Maestro) and a valid Luhn check digit. Prefixes
/// are read broadly where no other issuer uses the range (all of 35 for JCB).
public struct CreditCardRecognizer: PIIRecognizer {
    public let name = "CreditCardRecognizer"
    public let supportedTypes: Set<PIIEntityType> = [.creditCard]

    /// The recognizer.
    public init() {}

    private static let pattern = PIIPattern(
        #"(?<![A-Za-z0-9+])(?<![0-9][ .\-/])[0-9]{4}(?:[ \-]?[0-9]){8,15}"# + #"(?![A-Za-z0-9])(?![ \-.][0-9])"#)

    public func findings(in text: PIIText) -> [PIIFinding] {
        Self.pattern.matches(in: text).compactMap { m -> PIIFinding? in
            let separators = Set(text.scalars[m.start..<m.end].filter { $0 == " " || $0 == "-" })
            guard separators.count <= 1 else { return nil }
            let digits = text.digits(m.start, m.end)
            guard let issuer = Self.issuer(of: digits), Self.passesLuhn(digits) else { return nil }
            // Maestro's prefixes (50, 56–69) and lengths (12–19) also fit order and tracking
            // numbers, so a number only Maestro could have issued needs a word like "card" nearby.
            if issuer == .maestro && !text.hasContext(Self.context, start: m.start, end: m.end, before: 40, after: 0) { return nil }
            // Eighteen digits that are a valid Chinese resident ID (region, birth date, MOD 11-2)
            // are that, not a rare 18-digit card.
            if digits.count == 18 && ChineseResidentIDRecognizer.isValid(Array(text.scalars[m.start..<m.end])) { return nil }
            return PIIFinding(type: .creditCard, start: m.start, end: m.end, score: 1.0, recognizer: name)
        }
    }

    /// The Luhn (mod 10) check over all digits, check digit last.
    public static func passesLuhn(_ digits: [Int]) -> Bool {
        var sum = 0
        for (i, d) in digits.reversed().enumerated() {
            if i % 2 == 1 {
                let doubled = d * 2
                sum += doubled > 9 ? doubled - 9 : doubled
            } else {
                sum += d
            }
        }
        return !digits.isEmpty && sum % 10 == 0
    }

    /// Words that make a number more likely a card number.
    static let context = ["card", "visa", "mastercard", "maestro", "amex", "credit", "debit", "payment", "charge", "paid", "卡", "信用卡"]

    /// Card issuers, as far as the recognizer tells them apart.
    enum Issuer { case visa, mastercard, amex, diners, jcb, discover, unionPay, maestro }

    /// The issuer that uses this prefix with this many digits, nil for none.
    static func issuer(of digits: [Int]) -> Issuer? {
        func prefix(_ n: Int) -> Int { digits.prefix(n).reduce(0) { $0 * 10 + $1 } }
        let n = digits.count
        let p1 = prefix(1), p2 = prefix(2), p3 = prefix(3), p4 = prefix(4), p6 = prefix(6)
        if p1 == 4 { return n == 13 || n == 16 || n == 19 ? .visa : nil }
        if (51...55).contains(p2) || (2221...2720).contains(p4) { return n == 16 ? .mastercard : nil }
        if p2 == 34 || p2 == 37 { return n == 15 ? .amex : nil }
        if (300...305).contains(p3) || p2 == 36 || p2 == 38 || p2 == 39 { return (14...19).contains(n) ? .diners : nil }
        // JCB: 3528–3589 issued; the rest of 35 is no other issuer's. Older JCB numbers: 15 digits.
        if p2 == 35 { return (16...19).contains(n) ? .jcb : nil }
        if p4 == 2131 || p4 == 1800 { return n == 15 ? .jcb : nil }
        if p4 == 6011 || (644...649).contains(p3) || p2 == 65 || (622126...622925).contains(p6) {
            return (16...19).contains(n) ? .discover : nil
        }
        if p2 == 62 || p2 == 81 { return (16...19).contains(n) ? .unionPay : nil }
        if p2 == 50 || (56...69).contains(p2) { return (12...19).contains(n) ? .maestro : nil }
        return nil
    }
}
