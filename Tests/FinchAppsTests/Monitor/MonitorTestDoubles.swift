import FinchApps
import FinchTrain
import Foundation

/// A sentiment classifier for tests: a text containing one of `negativeWords`
/// is "negative" with probability 0.9, one containing a positive word is
/// "positive", else "neutral". Counts its calls.
final class KeywordSentiment: DocumentClassifier, @unchecked Sendable {
    let name = "keyword-sentiment"
    let negativeWords: [String]
    let positiveWords: [String]
    private(set) var calls = 0
    private(set) var textsSeen = 0

    /// The labels it gives negative, neutral and positive texts.
    let labels: (negative: String, neutral: String, positive: String)

    init(
        negativeWords: [String] = ["bad", "terrible", "lawsuit", "糟糕"], positiveWords: [String] = ["good", "great", "好"],
        labels: (negative: String, neutral: String, positive: String) = ("NEG", "NEU", "POS")
    ) {
        self.negativeWords = negativeWords
        self.positiveWords = positiveWords
        self.labels = labels
    }

    func classify(_ texts: [String]) async throws -> [ClassPrediction] {
        calls += 1
        textsSeen += texts.count
        return texts.map { text in
            let t = text.lowercased()
            let label =
                negativeWords.contains(where: t.contains)
                ? labels.negative : positiveWords.contains(where: t.contains) ? labels.positive : labels.neutral
            var scores = [labels.negative: 0.05, labels.neutral: 0.05, labels.positive: 0.05]
            scores[label] = 0.9
            return try! JSONDecoder().decode(
                ClassPrediction.self, from: JSONSerialization.data(withJSONObject: ["label": label, "score": 0.9, "scores": scores]))
        }
    }
}

/// A tagger for tests: every capitalized word is an ORG, "Paris" a LOC.
struct CapitalizedTagger: EntityTagger {
    let name = "capitalized-tagger"

    func entities(in texts: [String]) async throws -> [[EntityPrediction]] {
        texts.map { text in
            FineTunedModel.words(in: text, splitting: .whitespace).compactMap { w in
                guard let f = w.text.unicodeScalars.first, ("A"..."Z").contains(f) else { return nil }
                let json: [String: Any] = [
                    "text": w.text, "label": w.text == "Paris" ? "LOC" : "ORG", "start": w.start, "end": w.end, "score": 0.8,
                ]
                return try! JSONDecoder().decode(EntityPrediction.self, from: JSONSerialization.data(withJSONObject: json))
            }
        }
    }
}

/// Building blocks for monitor tests.
enum MonitorFixtures {
    /// 2026-03-02 00:00 UTC, a Monday.
    static let monday = Date(timeIntervalSince1970: 1_772_409_600)

    static func hour(_ h: Double) -> Date { monday.addingTimeInterval(h * 3600) }

    static func scored(
        _ id: String, at time: Date, polarity: SentimentPolarity, entities: [String] = [], topic: String? = nil, score: Double? = nil
    ) -> ScoredDocument {
        ScoredDocument(
            document: MonitorDocument(id: id, text: "text \(id)", time: time), sentimentLabel: polarity.rawValue, polarity: polarity,
            sentimentScore: score ?? polarity.sign * 0.8, confidence: 0.9, topic: topic,
            mentions: entities.map { EntityMention(entity: $0, text: $0, type: nil, start: 0, end: 1, origin: .watchlist) })
    }
}
