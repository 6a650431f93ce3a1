import ArgumentParser
import FinchApps
import FinchSupport
import Foundation

/// `finch assistant evaluate`: retrieval and hand-off quality on labelled queries.
struct AssistantEvaluate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Evaluate answering and hand-off on queries with known answers.",
        discussion: """
            QUERIES is JSON Lines {"query": ..., "expected": ...}: the question (or an alternative, or the \
            id) of the FAQ entry that answers it, or null when nothing in the FAQ does. Prints hit@1, hit@3 \
            and MRR@10 over the answerable queries; hand-off precision and recall (a hand-off is right when \
            the FAQ has no answer or the top entry is wrong); answered accuracy (right among those not \
            handed off); and hit@1 of the dense and the BM25 rankings alone, from the same run. --json \
            prints one object with keys hit_at_1, hit_at_3, mrr_at_10, handoff_precision, handoff_recall, \
            answered_accuracy, dense_hit_at_1, bm25_hit_at_1 (null for a ratio with no cases).
            """)

    @OptionGroup var model: ModelOption
    @Option(help: "The FAQ: CSV, TSV or JSON Lines.") var faq: String
    @Option(help: "Queries with their expected entries (JSON Lines).") var queries: String
    @OptionGroup var handoff: HandoffOptions
    @Flag(name: .customLong("no-answers"), help: "Search questions and alternatives only, not answers.") var noAnswers = false
    @OptionGroup var embedding: AssistantModelOptions
    @Option(
        help: ArgumentHelp(
            "Also write every figure, and the hand-off figures at thresholds 0, 0.01, …, 1, to this JSON file.",
            valueName: "path"))
    var report: String?
    @OptionGroup var output: JSONOutputOption

    func run() throws {
        let directory = try model.resolve()
        let encoder = try embedding.encoder(directory)
        let collection = try FAQReader.read(URL(fileURLWithPath: faq), name: faq)
        let labelled = try AssistantQueryReader.read(URL(fileURLWithPath: queries), name: queries, collection: collection)
        var settings = AssistantSettings()
        settings.retrieval.indexAnswers = !noAnswers
        let assistant = try FAQAssistant.build(
            collection: collection, encoder: encoder, settings: settings, progress: AssistantTerminal.indexingProgress())
        let policy = handoff.policy(base: assistant.settings.handoff, calibration: assistant.calibration)
        let block = try encoder.encode(labelled.map(\.text)).scalars
        let d = encoder.dimension
        let vectors = (0..<labelled.count).map { Array(block[($0 * d)..<(($0 + 1) * d)]) }
        let outcomes = AssistantEvaluation.outcomes(assistant, queries: labelled, vectors: vectors)
        let report = AssistantEvaluation.evaluate(outcomes, policy: policy)
        if let path = self.report {
            let sweep = (0...100).map { i in
                AssistantEvaluation.evaluate(
                    outcomes, policy: HandoffPolicy(threshold: Double(i) / 100, ambiguityMargin: policy.ambiguityMargin))
            }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            let file = EvaluationReportFile(
                evaluation: report, suggestedThreshold: assistant.calibration.suggestedThreshold,
                calibrationQueries: assistant.calibration.sampleCount, sweep: sweep)
            try AtomicFile.write(try encoder.encode(file), to: URL(fileURLWithPath: path))
        }
        if output.json {
            try StandardOutput.json(EvaluationFigures(report))
        } else {
            try StandardOutput.line(Self.render(report))
        }
    }

    static func render(_ r: AssistantEvaluation) -> String {
        let f = AssistantTerminal.figure
        return """
            queries \(r.queryCount) (answerable \(r.answerableCount)), handed off \(r.handoffCount) \
            (threshold \(f(r.policy.threshold)), ambiguity margin \(f(r.policy.ambiguityMargin)))
                       hit@1   hit@3   MRR@10
            hybrid     \(f(r.hitAt1))   \(f(r.hitAt3))   \(f(r.mrrAt10))
            dense      \(f(r.denseHitAt1))           \(f(r.denseMRRAt10))
            bm25       \(f(r.bm25HitAt1))           \(f(r.bm25MRRAt10))
            hand-off precision \(f(r.handoffPrecision)), recall \(f(r.handoffRecall)); answered accuracy \(f(r.answeredAccuracy))
            unanswerable queries handed off: \(f(r.unanswerableHandoffRate))
            """
    }
}

/// What `--report` writes.
struct EvaluationReportFile: Encodable {
    var evaluation: AssistantEvaluation
    /// The threshold `--threshold auto` would use.
    var suggestedThreshold: Double
    var calibrationQueries: Int
    /// The figures at thresholds 0, 0.01, …, 1.
    var sweep: [AssistantEvaluation]
}

/// The `--json` object: exactly the keys issue 13 lists.
struct EvaluationFigures: Encodable {
    var report: AssistantEvaluation

    init(_ report: AssistantEvaluation) { self.report = report }

    enum CodingKeys: String, CodingKey {
        case hitAt1 = "hit_at_1", hitAt3 = "hit_at_3", mrrAt10 = "mrr_at_10", handoffPrecision = "handoff_precision"
        case handoffRecall = "handoff_recall", answeredAccuracy = "answered_accuracy", denseHitAt1 = "dense_hit_at_1"
        case bm25HitAt1 = "bm25_hit_at_1"
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(report.hitAt1, forKey: .hitAt1)
        try c.encode(report.hitAt3, forKey: .hitAt3)
        try c.encode(report.mrrAt10, forKey: .mrrAt10)
        try c.encode(report.handoffPrecision, forKey: .handoffPrecision)
        try c.encode(report.handoffRecall, forKey: .handoffRecall)
        try c.encode(report.answeredAccuracy, forKey: .answeredAccuracy)
        try c.encode(report.denseHitAt1, forKey: .denseHitAt1)
        try c.encode(report.bm25HitAt1, forKey: .bm25HitAt1)
    }
}
