/// Entity-level precision, recall and F1 for sequence labelling (NER) —
/// the numbers and text of seqeval's `classification_report` in its default
/// mode (checked against seqeval 1.2.2 by the fixture tests).
///
/// Entities come from `EntityChunker` (conlleval rules). An entity counts as
/// correct only when type, start and end all match. Per type: precision =
/// correct / predicted, recall = correct / true, F1 = 2·P·R / (P + R) (from
/// P and R, as seqeval computes it), support = true entities. Rows: the
/// types in code-point order, then `micro avg` (counts pooled over types —
/// the number usually quoted as "entity F1"), `macro avg` and `weighted avg`
/// (weighted by support).
public struct EntityReport: Sendable {
    /// Entity types in row order (sorted, code-point order).
    public let types: [String]
    /// Scores per type, aligned with `types`.
    public let scores: [LabelScores]
    /// Counts pooled over types.
    public let micro: LabelScores
    /// Unweighted mean over types.
    public let macro: LabelScores
    /// Support-weighted mean over types.
    public let weighted: LabelScores

    /// Scores predicted tag sequences against true ones (same number of
    /// sentences, each of the same length).
    ///
    /// - Parameters:
    ///   - zeroDivision: `.zero` (seqeval's default) or `.one`; seqeval has
    ///     no NaN option.
    ///   - suffix: tags written `PER-B` rather than `B-PER`.
    public init(truth: [[String]], predicted: [[String]], zeroDivision: ZeroDivision = .zero, suffix: Bool = false) {
        precondition(zeroDivision != .nan, "seqeval's zero_division is 0 or 1")
        precondition(
            truth.map(\.count) == predicted.map(\.count), "true and predicted sentences differ in number or length")
        var trueSets: [String: Set<Entity>] = [:]
        var predictedSets: [String: Set<Entity>] = [:]
        for e in EntityChunker.entities(in: truth, suffix: suffix) { trueSets[e.type, default: []].insert(e) }
        for e in EntityChunker.entities(in: predicted, suffix: suffix) { predictedSets[e.type, default: []].insert(e) }
        let types = Set(trueSets.keys).union(predictedSets.keys).sorted(by: precedesInCodePointOrder)
        var tp: [Int] = [], predictedCount: [Int] = [], actual: [Int] = []
        for type in types {
            let t = trueSets[type] ?? [], p = predictedSets[type] ?? []
            tp.append(t.intersection(p).count)
            predictedCount.append(p.count)
            actual.append(t.count)
        }
        let z = zeroDivision.value
        func divide(_ a: Int, _ b: Int) -> Double { b == 0 ? z : Double(a) / Double(b) }
        func fScore(_ p: Double, _ r: Double) -> Double {
            let denominator = p + r
            return (2 * p) * r / (denominator == 0 ? 1 : denominator)
        }
        let p = types.indices.map { divide(tp[$0], predictedCount[$0]) }
        let r = types.indices.map { divide(tp[$0], actual[$0]) }
        let f = types.indices.map { fScore(p[$0], r[$0]) }
        let support = actual.reduce(0, +)
        let predictedTotal = predictedCount.reduce(0, +)
        let mp = divide(tp.reduce(0, +), predictedTotal), mr = divide(tp.reduce(0, +), support)

        self.types = types
        self.scores = types.indices.map { LabelScores(precision: p[$0], recall: r[$0], f1: f[$0], support: actual[$0]) }
        self.micro = LabelScores(precision: mp, recall: mr, f1: fScore(mp, mr), support: support)
        self.macro = LabelScores(
            precision: NumPyArithmetic.mean(p), recall: NumPyArithmetic.mean(r), f1: NumPyArithmetic.mean(f),
            support: support)
        let w = actual.map(Double.init)
        if support == 0 {
            // seqeval's special case when there are no true entities at all.
            let value = predictedTotal == 0 ? z : 0
            self.weighted = LabelScores(precision: value, recall: z, f1: value, support: 0)
        } else {
            self.weighted = LabelScores(
                precision: NumPyArithmetic.average(p, weights: w)!, recall: NumPyArithmetic.average(r, weights: w)!,
                f1: NumPyArithmetic.average(f, weights: w)!, support: support)
        }
    }

    /// Scores of entity type `type`, or nil when it never occurs.
    public subscript(type: String) -> LabelScores? {
        types.firstIndex(of: type).map { scores[$0] }
    }

    /// The report as seqeval prints it, byte for byte. (seqeval raises when
    /// neither side has an entity; this prints the header and the average
    /// rows.)
    public func text(digits: Int = 2) -> String {
        let layout = ReportLayout(names: types, digits: digits)
        var out = layout.header() + "\n\n"
        for (type, s) in zip(types, scores) { out += layout.row(type, s) + "\n" }
        out += "\n"
        out += layout.row("micro avg", micro) + "\n"
        out += layout.row("macro avg", macro) + "\n"
        out += layout.row("weighted avg", weighted) + "\n"
        return out
    }

    /// The object `finch evaluate --json` prints for a tagger (micro scores).
    public var evaluation: EntityEvaluation {
        EntityEvaluation(
            precision: micro.precision, recall: micro.recall, f1: micro.f1,
            labels: Dictionary(uniqueKeysWithValues: zip(types, scores).map { ($0, $1) }))
    }
}
