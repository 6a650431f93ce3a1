import ArgumentParser
import FinchApps
import Foundation

/// `finch assistant import`: an FAQ file in, a collection folder out.
struct AssistantImport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import an FAQ into a collection folder: entries, vectors, calibrated confidence.",
        discussion: """
            Reads the FAQ, embeds every question, alternative and answer with the model, fits the \
            confidence on held-out questions and writes OUT/assistant.json and OUT/vectors.bin (replacing \
            OUT as a whole). `finch assistant ask --collection OUT` answers from it.
            """)

    @OptionGroup var model: ModelOption
    @Option(help: "The FAQ: CSV, TSV or JSON Lines.") var faq: String
    @Option(help: "The collection folder to write.") var out: String
    @OptionGroup var handoff: HandoffOptions
    @Flag(name: .customLong("no-answers"), help: "Search questions and alternatives only, not answers.") var noAnswers = false
    @OptionGroup var embedding: AssistantModelOptions
    @OptionGroup var output: JSONOutputOption

    func run() throws {
        let directory = try model.resolve()
        let encoder = try embedding.encoder(directory)
        let collection = try FAQReader.read(URL(fileURLWithPath: faq), name: faq)
        var settings = AssistantSettings()
        settings.retrieval.indexAnswers = !noAnswers
        let built = try FAQAssistant.build(
            collection: collection, encoder: encoder, settings: settings, progress: AssistantTerminal.indexingProgress())
        let assistant = built.with(policy: handoff.policy(base: settings.handoff, calibration: built.calibration))
        settings = assistant.settings
        try AssistantStore.save(assistant, model: model.model, prefix: encoder.prefix, to: URL(fileURLWithPath: out))
        let summary = ImportSummary(
            collection: out, entries: collection.count, texts: assistant.texts.count,
            calibrationQueries: assistant.calibration.sampleCount, threshold: settings.handoff.threshold,
            ambiguityMargin: settings.handoff.ambiguityMargin)
        if output.json {
            try StandardOutput.json(summary)
        } else {
            try StandardOutput.line(
                "imported \(summary.entries) entries (\(summary.texts) texts) into \(out); confidence fitted on "
                    + "\(summary.calibrationQueries) held-out questions; hand-off below \(AssistantTerminal.figure(summary.threshold)) "
                    + "or margin below \(AssistantTerminal.figure(summary.ambiguityMargin))")
        }
    }
}

/// What `import --json` prints.
struct ImportSummary: Encodable {
    var collection: String
    var entries: Int
    var texts: Int
    var calibrationQueries: Int
    var threshold: Double
    var ambiguityMargin: Double

    enum CodingKeys: String, CodingKey {
        case collection, entries, texts, threshold
        case calibrationQueries = "calibration_queries"
        case ambiguityMargin = "ambiguity_margin"
    }
}
