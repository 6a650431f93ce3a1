import ArgumentParser
import FinchApps
import FinchTransformers
import Foundation

/// `finch assistant`: FAQ answering with a calibrated confidence and hand-off to a person.
struct Assistant: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Support assistant: answer from an FAQ, or hand the question to a person.",
        discussion: """
            An FAQ is CSV/TSV or JSON Lines with "question" and "answer", optional "id", "category" and \
            "alternatives" (other phrasings: a JSON array, or in CSV one field separated by |). Lines with \
            the same question are one entry with several answers; the first is shown. Retrieval fuses the \
            embedder's cosine (best of question, alternatives and answers) with BM25 (words; Chinese \
            characters and bigrams) by reciprocal rank; the confidence is a logistic calibration fitted on \
            held-out questions of the FAQ itself. Below the threshold, or when the top two entries are \
            too close to call, the reply is a hand-off.
            """,
        subcommands: [AssistantImport.self, AssistantAsk.self, AssistantEvaluate.self]
    )
}

/// The options every assistant command that embeds shares.
struct AssistantModelOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Text written before every query and FAQ text when embedding (\"query: \" for multilingual-e5).",
            valueName: "text"))
    var prefix: String?
    @Option(name: .customLong("batch-size"), help: "Texts per forward pass (1 to \(Embed.maxBatchSize)).")
    var batchSize = 32
    @OptionGroup var maxLength: MaxLengthOption

    init() {}

    func validate() throws {
        try Embed.validate(batchSize: batchSize)
    }

    /// The encoder of the model in `directory`; `storedPrefix` applies when `--prefix` is not given.
    func encoder(_ directory: URL, storedPrefix: String = "") throws -> PrefixedTextEncoder {
        let embedder = try TextEmbedder(directory: directory, maxLength: maxLength.maxLength)
        _ = try maxLength.checked(
            limit: embedder.embedder.maxSequenceLength, source: Embed.limitSource(directory, embedder: embedder.embedder))
        return PrefixedTextEncoder(embedder: embedder, prefix: prefix ?? storedPrefix, batchSize: batchSize)
    }
}

/// `--threshold T|auto` and `--ambiguity-margin M`: the hand-off bounds.
struct HandoffOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Hand off below this confidence (0 to 1), or 'auto': the lowest at which the FAQ's held-out questions "
                + "are answered with accuracy 0.9. Default: the collection's (\(HandoffPolicy.defaultThreshold) for a new one).",
            valueName: "T|auto"))
    var threshold: String?
    @Option(
        name: .customLong("ambiguity-margin"),
        help: ArgumentHelp(
            "Hand off when the top entry's cosine exceeds the next one's by less than this. Default: the collection's "
                + "(\(HandoffPolicy.defaultAmbiguityMargin) for a new one).",
            valueName: "M"))
    var ambiguityMargin: Double?

    init() {}

    func validate() throws {
        if let threshold, threshold != "auto" {
            guard let t = Double(threshold), (0...1).contains(t) else {
                throw ValidationError("--threshold must be a number from 0 to 1 or 'auto', got '\(threshold)'")
            }
        }
        if let ambiguityMargin, !(-2...2).contains(ambiguityMargin) {
            throw ValidationError("--ambiguity-margin must be between -2 and 2 (a difference of cosines), got \(ambiguityMargin)")
        }
    }

    /// `base` with what was given on the command line; `auto` takes the calibration's suggestion.
    func policy(base: HandoffPolicy, calibration: AssistantCalibration) -> HandoffPolicy {
        var policy = base
        if let threshold { policy.threshold = threshold == "auto" ? calibration.suggestedThreshold : Double(threshold)! }
        if let ambiguityMargin { policy.ambiguityMargin = ambiguityMargin }
        return policy
    }
}

/// Progress of embedding an FAQ, on standard error.
enum AssistantTerminal {
    static func indexingProgress() -> (Int, Int) -> Void {
        var bar: ProgressBar?
        return { done, total in
            if bar == nil { bar = ProgressBar(total: total, label: "embedding FAQ") }
            bar?.update(done)
            if done >= total { bar?.finish() }
        }
    }

    /// A ratio with three decimals, or "n/a" when it has no cases.
    static func figure(_ x: Double?) -> String {
        guard let x else { return "n/a" }
        return String(format: "%.3f", x)
    }
}
