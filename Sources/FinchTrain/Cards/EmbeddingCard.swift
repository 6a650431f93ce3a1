import FinchSupport
import FinchTransformers
import Foundation

/// The model card of a sentence-embedding folder (a base model, or the int8
/// copy `finch quantize` writes): the architecture from `config.json` and,
/// when `quantization.json` is there, the int8 copy's speed and agreement
/// with the float model.
public enum EmbeddingCard {
    /// True when `directory` holds a sentence-embedding model rather than a
    /// classifier or tagger: no `finch_classical.json`, no `finch_task.json`,
    /// and a `config.json` whose architecture is not a classification head.
    public static func isEmbeddingModel(_ directory: URL) -> Bool {
        let fm = FileManager.default
        guard !ClassicalClassifier.isClassifier(at: directory),
            !fm.fileExists(atPath: directory.appendingPathComponent(TaskMetadata.fileName).path),
            let config = try? SentenceTransformersFolder(contentsOf: directory).transformerDirectory.appendingPathComponent("config.json"),
            let data = fm.contents(atPath: config.path)
        else { return false }
        let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
        let architecture = (object?["architectures"] as? [String])?.first ?? ""
        return !architecture.hasSuffix("Classification")
    }

    /// Writes `README.md` in the embedding folder `directory` (keeping a person's fields, `ModelCardFile`).
    ///
    /// - Throws: `TaskError.invalidModelFile` naming a damaged `config.json` or `quantization.json`.
    @discardableResult
    public static func write(to directory: URL, finchVersion: String) throws -> ModelCardOutcome {
        let transformer: URL
        do { transformer = try SentenceTransformersFolder(contentsOf: directory).transformerDirectory } catch {
            throw TaskError.invalidModelFile(file: directory.path, reason: "not a sentence-embedding folder: \(error)")
        }
        let configURL = transformer.appendingPathComponent("config.json")
        let config: [String: Any]
        do {
            config = try JSONSerialization.jsonObject(with: Data(contentsOf: configURL)) as? [String: Any] ?? [:]
        } catch {
            throw TaskError.invalidModelFile(file: configURL.path, reason: "cannot read it as JSON: \(error.localizedDescription)")
        }
        let card = document(
            name: directory.standardizedFileURL.lastPathComponent, config: config,
            quantization: try QuantizationFacts.readIfPresent(in: directory), finchVersion: finchVersion)
        return try ModelCardFile.write(card.markdown, to: directory)
    }

    /// The card's parts for a folder named `name` with `config.json` content `config`.
    public static func document(
        name: String, config: [String: Any], quantization: QuantizationFacts?, finchVersion: String
    ) -> ModelCardDocument {
        let type = config["model_type"] as? String
        var details = "- Architecture: \((config["architectures"] as? [String])?.first ?? "unknown")"
        if let type { details += " (\(type) model type)" }
        if let h = config["hidden_size"] as? Int, let l = config["num_hidden_layers"] as? Int {
            details += ", hidden size \(h), \(l) layers"
        }
        if let v = config["vocab_size"] as? Int { details += ", vocabulary \(v)" }
        details += "\n- Task: sentence embeddings (feature extraction, sentence similarity)\n"
        if let quantization {
            details += "- Int8 copy of: " + (quantization.source.map { "`\($0)`" } ?? "the float model") + "\n"
        }
        details += "- Base model: \(ModelCard.personField("base_model", "the pretrained checkpoint"))\n"
        details += ModelCard.commonDetails()
        let quantitative =
            quantization?.section
            ?? "No evaluation was recorded (`finch quantize` records the int8 copy's figures in `quantization.json`).\n"
        let metrics =
            quantization == nil
            ? ModelCard.personField("metrics", "how the embeddings were evaluated")
            : "For the int8 copy: its speed against the float model and the cosine of its sentence vectors to the float ones "
                + "(`finch quantize`)."
        return ModelCardDocument(
            name: name,
            summary: "A sentence-embedding model" + (quantization == nil ? "" : " in int8 (`finch quantize`)")
                + ", described by Finch \(finchVersion).",
            pipelineTag: "sentence-similarity", taskType: "sentence-similarity",
            tags: ["sentence-similarity", "feature-extraction"] + (type.map { [$0] } ?? []) + (quantization == nil ? [] : ["int8"]),
            baseModel: nil, datasets: [], evaluationName: "evaluation texts", indexMetrics: [],
            sections: [
                details, ModelCard.intendedUse(), ModelCard.personField("factors", "languages, domains and text lengths that may differ"),
                metrics, ModelCard.evaluationData(nil), ModelCard.trainingData(nil, labelHeader: "label"), quantitative,
                ModelCard.ethicalConsiderations(), ModelCard.caveats(),
            ])
    }
}
