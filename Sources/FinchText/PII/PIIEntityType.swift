/// The kind of personal data a finding is. Names follow Microsoft Presidio's
/// where it has one (`EMAIL_ADDRESS`, `CREDIT_CARD`, …), plus
/// `CN_RESIDENT_ID`; custom deny-lists and patterns bring their own names.
public struct PIIEntityType: RawRepresentable, Hashable, Comparable, Sendable, Codable, CustomStringConvertible,
    ExpressibleByStringLiteral
{
    /// The name, e.g. `EMAIL_ADDRESS`.
    public let rawValue: String

    /// A type by name.
    public init(rawValue: String) { self.rawValue = rawValue }

    /// A type by name, from a literal.
    public init(stringLiteral value: String) { self.rawValue = value }

    /// The name.
    public var description: String { rawValue }

    public static func < (lhs: PIIEntityType, rhs: PIIEntityType) -> Bool { lhs.rawValue < rhs.rawValue }

    /// An e-mail address.
    public static let emailAddress: PIIEntityType = "EMAIL_ADDRESS"
    /// A telephone number (international, North American, European, Chinese).
    public static let phoneNumber: PIIEntityType = "PHONE_NUMBER"
    /// A payment card number that passes the Luhn check.
    public static let creditCard: PIIEntityType = "CREDIT_CARD"
    /// An IBAN of the right length for its country that passes mod-97.
    public static let ibanCode: PIIEntityType = "IBAN_CODE"
    /// A US social security number outside the ranges never issued.
    public static let usSSN: PIIEntityType = "US_SSN"
    /// A Chinese resident identity number (18 characters, ISO 7064 MOD 11-2).
    public static let cnResidentID: PIIEntityType = "CN_RESIDENT_ID"
    /// An IPv4 or IPv6 address.
    public static let ipAddress: PIIEntityType = "IP_ADDRESS"
    /// A web address.
    public static let url: PIIEntityType = "URL"
    /// A date of birth (a date with a birth context word nearby).
    public static let dateTime: PIIEntityType = "DATE_TIME"
    /// A person's name (from a named-entity tagger).
    public static let person: PIIEntityType = "PERSON"
    /// A place (from a named-entity tagger).
    public static let location: PIIEntityType = "LOCATION"
    /// An organization (from a named-entity tagger).
    public static let organization: PIIEntityType = "ORGANIZATION"

    /// The types of the built-in pattern recognizers, in a fixed order.
    public static let patternTypes: [PIIEntityType] = [
        .emailAddress, .phoneNumber, .creditCard, .ibanCode, .usSSN, .cnResidentID, .ipAddress, .url, .dateTime,
    ]

    /// The types a named-entity tagger can supply.
    public static let nameTypes: [PIIEntityType] = [.person, .location, .organization]
}
