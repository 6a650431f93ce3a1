import ArgumentParser
import FinchTrain
import Foundation

/// `finch card`: (re)writes a model folder's model card.
struct Card: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write the model card (README.md) of a fine-tuned model folder.",
        discussion: """
            The card has the Hugging Face YAML header (library, pipeline tag, tags, language, \
            license, model-index with the best evaluation in metrics.jsonl) and the sections of \
            Mitchell et al. (model details, intended use, factors, metrics, evaluation data, \
            training data, quantitative analyses, ethical considerations, caveats and \
            recommendations), filled from config.json, finch_task.json and metrics.jsonl. With \
            --audit (the JSON of `finch audit classify --out`), the per-group results join the \
            quantitative analyses. What only a person can know is marked [to be written: ...]. \
            An existing README.md is replaced.
            """)

    @OptionGroup var model: ModelOption
    @Option(help: "A fairness audit (JSON from `finch audit classify --out`) to include.") var audit: String?

    func run() throws {
        let directory = try model.resolve()
        var fairness: FairnessAudit? = nil
        if let audit {
            let data = try Data(contentsOf: URL(fileURLWithPath: audit))
            do { fairness = try JSONDecoder().decode(FairnessAudit.self, from: data) } catch {
                throw ValidationError("--audit \(audit): not the JSON of `finch audit classify` (\(ErrorMessage.render(error)))")
            }
        }
        let url = try ModelCard.write(to: directory, audit: fairness, finchVersion: FinchVersion.string)
        try StandardOutput.line("model card written to \(url.path)")
    }
}
