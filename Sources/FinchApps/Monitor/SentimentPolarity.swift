/// Which way a text leans: the three classes a monitor counts, whatever the
/// sentiment classifier's own labels are.
public enum SentimentPolarity: String, Codable, Sendable, CaseIterable, Hashable {
    case negative
    case neutral
    case positive

    /// −1, 0 or +1.
    public var sign: Double {
        switch self {
        case .negative: -1
        case .neutral: 0
        case .positive: 1
        }
    }

    /// The polarity a label name suggests when the configuration does not map
    /// it: names starting with "neg" (or "1 star"/"2 stars") are negative,
    /// "pos" positive, "neu" neutral; nil otherwise.
    public static func guess(label: String) -> SentimentPolarity? {
        let l = label.lowercased()
        if l.hasPrefix("neg") || l == "1 star" || l == "2 stars" { return .negative }
        if l.hasPrefix("pos") || l == "4 stars" || l == "5 stars" { return .positive }
        if l.hasPrefix("neu") || l == "3 stars" { return .neutral }
        return nil
    }
}
