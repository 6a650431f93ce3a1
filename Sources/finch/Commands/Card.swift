import ArgumentParser
import FinchApps
import FinchSupport
import FinchTrain
import Foundation

/// `finch card`: (re)writes a model folder's model card.
struct Card: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write the model card (README.md) of a model folder.",
        discussion: """
            Every training run (finch train classify, finch train ner, finch recommend train) writes \
            the card itself; this command writes it again, e.g. after an audit. The card has the \
            Hugging Face YAML header (library, pipeline tag, tags, language, license, base model, \
            datasets, model-index with the evaluation) and the sections of Mitchell et al. (model \
            details, intended use, factors, metrics, evaluation data, training data, quantitative \
            analyses, ethical considerations, caveats and recommendations), filled from the folder: \
            the model's files, the run record finch_run.json (command, settings, data files with \
            rows and SHA-256, label distribution, metrics, hardware, duration, Finch version), \
            metrics.jsonl, fairness_audit.json (finch audit classify), recommender_audit.json \
            (finch recommend audit) and quantization.json. What only a person can know is marked \
            [to be written: ...] between <!-- person: ID --> and <!-- /person --> markers: text a \
            person writes there is kept when the card is written again; the rest is regenerated. A \
            README.md that Finch did not write is moved to README.previous.md. With --audit (the \
            JSON of `finch audit classify --out`), that audit is shown instead of the folder's.
            """)

    @OptionGroup var model: ModelOption
    @Option(help: "A fairness audit (JSON from `finch audit classify --out`) to include.") var audit: String?

    func run() throws {
        let directory = try model.resolve()
        let outcome: ModelCardOutcome
        if let audit {
            let data = try Data(contentsOf: URL(fileURLWithPath: audit))
            let fairness: FairnessAudit
            do { fairness = try JSONDecoder().decode(FairnessAudit.self, from: data) } catch {
                throw ValidationError("--audit \(audit): not the JSON of `finch audit classify` (\(ErrorMessage.render(error)))")
            }
            outcome = try ModelCard.write(to: directory, audit: fairness, finchVersion: FinchVersion.string)
        } else {
            outcome = try ModelCardWriter.write(folder: directory, finchVersion: FinchVersion.string)
        }
        try StandardOutput.line("model card written to \(outcome.url.path)")
        for line in Self.notes(outcome) { try StandardOutput.line(line) }
    }

    /// What a card write kept or moved, in words.
    static func notes(_ outcome: ModelCardOutcome) -> [String] {
        var lines: [String] = []
        if !outcome.keptFields.isEmpty { lines.append("kept the fields a person wrote: " + outcome.keptFields.joined(separator: ", ")) }
        if let previous = outcome.previousCard {
            lines.append("the README.md there before was not a Finch card; moved to \(previous.path)")
        }
        return lines
    }

    /// Writes the card at the end of a training run and says so on standard
    /// error (standard output keeps the run's report or JSON).
    static func afterTraining(folder: URL, run: TrainingRunRecord) throws {
        let outcome = try ModelCardWriter.write(folder: folder, run: run, finchVersion: FinchVersion.string)
        ProgressBar.write("model card written to \(outcome.url.path)\n")
        for line in notes(outcome) { ProgressBar.write(line + "\n") }
    }

    /// The command line that is running, as the card records it.
    static var commandLine: String { TrainingRunRecord.commandLine(["finch"] + CommandLine.arguments.dropFirst()) }

    /// Seconds since `start`.
    static func seconds(since start: ContinuousClock.Instant) -> Double {
        let d = ContinuousClock.now - start
        return Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }
}
