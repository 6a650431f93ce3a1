import FinchTensor

/// How the confidence model is fitted.
public struct CalibrationOptions: Codable, Sendable, Equatable {
    /// Share of the entries that each lose one text (an alternative, else the
    /// question), which becomes a query the rest of the collection must answer.
    public var heldOutFraction = 0.3
    /// Share of the entries removed whole; their questions are queries with no
    /// right answer, as questions the FAQ does not cover are.
    public var removedFraction = 0.1
    /// Seed of the choice of entries.
    public var seed: UInt64 = 13
    /// The answered accuracy `suggestedThreshold` aims at.
    public var targetAccuracy = 0.9
    /// The logistic fit's L2 penalty.
    public var l2 = 1.0

    /// The defaults.
    public init() {}
}

/// The fitted confidence model of a collection, stored with it.
public struct AssistantCalibration: Codable, Sendable, Equatable {
    /// p(top entry is right | `ConfidenceFeatures`).
    public var model: LogisticRegression
    /// The features the model reads, in order.
    public var featureNames: [String]
    /// Held-out queries it was fitted on.
    public var sampleCount: Int
    /// Of those, how many had the right entry on top.
    public var positiveCount: Int
    /// The lowest threshold at which the held-out queries that are answered
    /// reach `options.targetAccuracy` (1 when none does): what `--threshold auto` uses.
    public var suggestedThreshold: Double
    /// The options of the fit.
    public var options: CalibrationOptions

    /// A calibration with a given model (stored ones are read back with `Codable`).
    public init(
        model: LogisticRegression, sampleCount: Int = 0, positiveCount: Int = 0, suggestedThreshold: Double = 0.5,
        options: CalibrationOptions = CalibrationOptions()
    ) {
        self.model = model
        self.featureNames = ConfidenceFeatures.names
        self.sampleCount = sampleCount
        self.positiveCount = positiveCount
        self.suggestedThreshold = suggestedThreshold
        self.options = options
    }

    /// The probability that `retrieval`'s top entry is right; 0 when it found nothing.
    public func confidence(_ retrieval: Retrieval) -> Double {
        ConfidenceFeatures.of(retrieval).map(model.probability) ?? 0
    }
}

/// Fits a collection's confidence model on its own texts.
public enum AssistantCalibrator {
    /// One held-out query: which text it is, and which entry would be right
    /// (nil when its entry was removed whole).
    public struct HeldOutQuery: Equatable, Sendable {
        /// Position of the text in the collection's texts.
        public var text: Int
        /// The entry that answers it, if still indexed.
        public var expected: Int?
    }

    /// The held-out plan: which texts stay indexed, and the queries.
    public static func plan(texts: [FAQText], entryCount: Int, options: CalibrationOptions) -> (keep: [Bool], queries: [HeldOutQuery]) {
        var rng = FinchRNG(seed: options.seed)
        var order = Array(0..<entryCount)
        if entryCount > 1 {
            for i in stride(from: entryCount - 1, to: 0, by: -1) {
                let j = Int(rng.next() % UInt64(i + 1))
                order.swapAt(i, j)
            }
        }
        let removedCount = Int((Double(entryCount) * options.removedFraction).rounded())
        let heldCount = Swift.min(entryCount - removedCount, Int((Double(entryCount) * options.heldOutFraction).rounded()))
        let held = Array(order.dropFirst(removedCount).prefix(heldCount))
        var byEntry = [[Int]](repeating: [], count: entryCount)
        for (t, text) in texts.enumerated() { byEntry[text.entry].append(t) }
        var keep = [Bool](repeating: true, count: texts.count)
        var queries: [HeldOutQuery] = []
        for e in order.prefix(removedCount) {
            for t in byEntry[e] { keep[t] = false }
            if let q = byEntry[e].first(where: { texts[$0].kind == .question }) { queries.append(HeldOutQuery(text: q, expected: nil)) }
        }
        for e in held {
            let alternatives = byEntry[e].filter { texts[$0].kind == .alternative }
            let pick: Int?
            if alternatives.isEmpty {
                pick = byEntry[e].first { texts[$0].kind == .question }
            } else {
                pick = alternatives[Int(rng.next() % UInt64(alternatives.count))]
            }
            guard let t = pick else { continue }
            keep[t] = false
            queries.append(HeldOutQuery(text: t, expected: byEntry[e].contains { keep[$0] } ? e : nil))
        }
        return (keep, queries)
    }

    /// Features and labels of the held-out queries: each query is the vector
    /// of its (removed) text, run against the texts that stay.
    public static func samples(
        texts: [FAQText], dense: DenseFAQIndex, options: RetrievalOptions, calibration: CalibrationOptions
    ) -> (features: [[Double]], labels: [Bool]) {
        let (keep, queries) = plan(texts: texts, entryCount: dense.entryCount, options: calibration)
        let retriever = HybridRetriever(
            dense: dense.subset(keeping: keep),
            lexical: LexicalFAQIndex(texts: zip(texts, keep).filter(\.1).map(\.0), entryCount: dense.entryCount),
            options: options)
        var features: [[Double]] = []
        var labels: [Bool] = []
        let d = dense.dimension
        for q in queries {
            let vector = Array(dense.vectors[(q.text * d)..<((q.text + 1) * d)])
            let r = retriever.retrieve(vector: vector, terms: LexicalTokenizer.terms(texts[q.text].text))
            guard let f = ConfidenceFeatures.of(r) else { continue }
            features.append(f)
            labels.append(q.expected != nil && r.ranking.first == q.expected)
        }
        return (features, labels)
    }

    /// Fits the confidence model of the collection whose texts and dense index are given.
    public static func calibrate(
        texts: [FAQText], dense: DenseFAQIndex, options: RetrievalOptions, calibration: CalibrationOptions = CalibrationOptions()
    ) -> AssistantCalibration {
        let (features, labels) = samples(texts: texts, dense: dense, options: options, calibration: calibration)
        // A collection too small to hold any query out (one entry) gives no samples: the fit of an
        // empty set is the zero model, given its width here so `confidence` can still read it (0.5).
        let model =
            features.isEmpty
            ? LogisticRegression(weights: [Double](repeating: 0, count: ConfidenceFeatures.names.count), bias: 0)
            : LogisticRegression.fit(features, labels: labels, l2: calibration.l2)
        let confidences = features.map(model.probability)
        return AssistantCalibration(
            model: model, sampleCount: features.count, positiveCount: labels.filter { $0 }.count,
            suggestedThreshold: lowestThreshold(confidences: confidences, correct: labels, targetAccuracy: calibration.targetAccuracy),
            options: calibration)
    }

    /// The lowest threshold t (one of the confidences) such that the queries
    /// with confidence ≥ t are right at least `targetAccuracy` of the time;
    /// 1 when no threshold reaches it (everything is handed off but certainties).
    public static func lowestThreshold(confidences: [Double], correct: [Bool], targetAccuracy: Double) -> Double {
        let order = confidences.indices.sorted { confidences[$0] > confidences[$1] }
        var best = 1.0
        var right = 0
        for (n, i) in order.enumerated() {
            if correct[i] { right += 1 }
            let isLastOfTie = n + 1 == order.count || confidences[order[n + 1]] < confidences[i]
            if isLastOfTie && Double(right) >= targetAccuracy * Double(n + 1) { best = confidences[i] }
        }
        return best
    }
}
