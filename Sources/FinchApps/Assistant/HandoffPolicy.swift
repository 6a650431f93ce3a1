/// Why a query goes to a person instead of being answered.
public enum HandoffReason: Codable, Sendable, Equatable, CustomStringConvertible {
    /// The calibrated confidence is below the threshold.
    case lowConfidence(confidence: Double, threshold: Double)
    /// The top two entries are too close to call.
    case ambiguous(margin: Double, minimum: Double)
    /// Nothing in the collection matched at all.
    case noMatch

    public var description: String {
        switch self {
        case let .lowConfidence(c, t): return "confidence \(Self.format(c)) is below the threshold \(Self.format(t))"
        case let .ambiguous(m, minimum):
            return "the top two entries are too close to call (margin \(Self.format(m)) is below \(Self.format(minimum)))"
        case .noMatch: return "no entry of the collection matches"
        }
    }

    static func format(_ x: Double) -> String {
        let r = (x * 1000).rounded() / 1000
        return String(r)
    }
}

/// When the assistant hands a query to a person (the fallback of Rasa's
/// FallbackClassifier, with a calibrated probability): when the confidence is
/// below `threshold`, or when the cosine margin between the top two entries
/// is below `ambiguityMargin`. A value equal to its bound is answered.
public struct HandoffPolicy: Codable, Sendable, Equatable {
    /// Lowest confidence that is answered.
    public var threshold: Double
    /// Lowest top-two margin that is answered.
    public var ambiguityMargin: Double

    /// The default threshold: the lowest at which the tuning queries of
    /// `Benchmarks/faq_queries_english.jsonl` (all-MiniLM-L6-v2 on the chatterbot FAQ) were
    /// answered with accuracy ≥ 0.9 (BENCHMARKS.md, "Support assistant"). The confidence is
    /// fitted on the FAQ's own held-out questions; on an FAQ without alternatives few of those
    /// find their entry, so confidences come out low and a collection's best threshold varies
    /// with its model (0.15 for multilingual-e5-small on the Chinese FAQ): tune it per collection.
    public static let defaultThreshold = 0.23
    /// The default ambiguity margin: 0, so a hand-off for ambiguity happens only when the fused
    /// top entry is further in meaning from the query than the next one (on the tuning queries a
    /// positive margin handed off right answers before wrong ones).
    public static let defaultAmbiguityMargin = 0.0

    /// A policy with the given bounds.
    public init(threshold: Double = HandoffPolicy.defaultThreshold, ambiguityMargin: Double = HandoffPolicy.defaultAmbiguityMargin) {
        self.threshold = threshold
        self.ambiguityMargin = ambiguityMargin
    }

    /// Nil to answer, else why to hand off; `margin` nil means nothing matched.
    public func decide(confidence: Double, margin: Double?) -> HandoffReason? {
        guard let margin else { return .noMatch }
        if confidence < threshold { return .lowConfidence(confidence: confidence, threshold: threshold) }
        if margin < ambiguityMargin { return .ambiguous(margin: margin, minimum: ambiguityMargin) }
        return nil
    }
}
