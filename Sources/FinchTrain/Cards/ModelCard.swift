import FinchSupport
import Foundation

/// A model card (`README.md` in the model folder): the Hugging Face YAML
/// header (language, license, tags, pipeline tag, `model-index` with the best
/// evaluation) and the sections of Mitchell et al., "Model Cards for Model
/// Reporting" (2019), filled from what the folder records. What only a person
/// can know is left as a marked field, `[to be written: …]`, so a reader sees
/// it is missing rather than reading a guess.
public enum ModelCard {
    /// The marker of a field a person has to write.
    public static func toBeWritten(_ what: String) -> String { "[to be written: \(what)]" }

    /// The sections, in order (each is a `## ` heading).
    public static let sections = [
        "Model details", "Intended use", "Factors", "Metrics", "Evaluation data", "Training data", "Quantitative analyses",
        "Ethical considerations", "Caveats and recommendations",
    ]

    /// The card of a model with `facts`; `audit` adds its per-group results to the quantitative analyses.
    public static func markdown(for facts: ModelFacts, audit: FairnessAudit? = nil, finchVersion: String) -> String {
        let classification = facts.task.task == .classification
        let pipeline = classification ? "text-classification" : "token-classification"
        let best = facts.bestEvaluation
        let metricNames = classification ? ["accuracy", "macro_f1", "weighted_f1"] : ["precision", "recall", "f1"]
        var yaml = "---\nlibrary_name: finch\npipeline_tag: \(pipeline)\ntags:\n- finch\n- \(pipeline)\n"
        if let type = facts.modelType { yaml += "- \(type)\n" }
        yaml += "language:\n- und\nlicense: other\n"
        if let best, metricNames.contains(where: { best[$0] != nil }) {
            yaml += "model-index:\n- name: \(quoted(facts.name))\n  results:\n  - task:\n      type: \(pipeline)\n"
            yaml += "    dataset:\n      name: development set\n      type: custom\n    metrics:\n"
            for name in metricNames { if let value = best[name] { yaml += "    - type: \(name)\n      value: \(number(value))\n" } }
        }
        yaml += "---\n"

        var md = yaml + "\n# \(facts.name)\n\n"
        md += "A \(classification ? "text classifier" : "named-entity tagger") fine-tuned with Finch \(finchVersion).\n\n"
        md += "## Model details\n\n"
        md += "- Architecture: \(facts.architecture ?? "unknown") (\(facts.modelType ?? "unknown") model type)"
        if let h = facts.hiddenSize, let l = facts.layers { md += ", hidden size \(h), \(l) layers" }
        if let v = facts.vocabularySize { md += ", vocabulary \(v)" }
        md += "\n- Task: \(pipeline); sequences of at most \(facts.task.maxLength) tokens\n"
        md += "- Labels (\(facts.labels.count)): \(facts.labels.joined(separator: ", "))\n"
        if classification {
            md += "- Input columns: text `\(facts.task.textColumn ?? "text")`"
            if let pair = facts.task.textPairColumn { md += ", text pair `\(pair)`" }
            md += ", label `\(facts.task.labelColumn ?? "label")`\n"
        }
        md += "- Developed by: \(toBeWritten("who trained the model, and a contact"))\n"
        md += "- Base model: \(toBeWritten("the pretrained checkpoint fine-tuned"))\n"
        md += "- License: \(toBeWritten("the license, and the base model's"))\n\n"
        md += "## Intended use\n\n- Primary uses: \(toBeWritten("what the model is for, and for whom"))\n"
        md += "- Out-of-scope uses: \(toBeWritten("uses the model was not built or evaluated for"))\n\n"
        md += "## Factors\n\n\(toBeWritten("groups, instruments and environments whose performance may differ"))"
        md += audit.map { " An audit by `\($0.sensitiveFeature)` is reported below." } ?? ""
        md += "\n\n## Metrics\n\n"
        md +=
            classification
            ? "Accuracy and macro/weighted F1 as scikit-learn's classification report computes them (`finch evaluate`)."
            : "Entity-level precision, recall and F1 as seqeval computes them (`finch evaluate`)."
        md += audit == nil ? "\n\n" : " Group fairness as Fairlearn's MetricFrame computes it (`finch audit classify`).\n\n"
        md += "## Evaluation data\n\n\(toBeWritten("the evaluation set: source, size, how it was split off"))\n\n"
        md += "## Training data\n\n\(toBeWritten("the training data: source, size, label distribution, licence"))\n\n"
        md += "## Quantitative analyses\n\n"
        if facts.evaluations.isEmpty {
            md += "No evaluation was recorded (`metrics.jsonl` is missing or empty).\n"
        } else {
            let shown = metricNames.filter { name in facts.evaluations.contains { $0[name] != nil } }
            md += "Evaluations during training (`metrics.jsonl`; the curves are in `training_curves.svg`):\n\n"
            md +=
                "| step | epoch | " + shown.joined(separator: " | ") + " |\n|---:|---:|" + String(repeating: "---:|", count: shown.count)
                + "\n"
            for e in facts.evaluations {
                md += "| \(e["step"].map { String(Int($0)) } ?? "") | \(e["epoch"].map { String(Int($0)) } ?? "") | "
                md += shown.map { e[$0].map(number) ?? "" }.joined(separator: " | ") + " |\n"
            }
        }
        if let audit {
            md += "\nBy `\(audit.sensitiveFeature)` (positive label `\(audit.positiveLabel)`):\n\n"
            md += "| group | n | accuracy | precision | recall | selection rate | FPR | FNR |\n|---|---:|---:|---:|---:|---:|---:|---:|\n"
            for g in [audit.overall] + audit.groups {
                let values = [g.accuracy, g.precision, g.recall, g.selectionRate, g.falsePositiveRate, g.falseNegativeRate]
                md += "| \(g.group) | \(g.count) | " + values.map(number).joined(separator: " | ") + " |\n"
            }
            md += "\nDemographic parity difference \(number(audit.demographicParityDifference)), ratio "
            md += "\(audit.demographicParityRatio.map(number) ?? "undefined"); equalized odds difference "
            md += "\(number(audit.equalizedOddsDifference)).\n"
        }
        md += "\n## Ethical considerations\n\n\(toBeWritten("sensitive data used, risks and harms, mitigations"))\n\n"
        md += "## Caveats and recommendations\n\n\(toBeWritten("known limits, and what users should check before relying on it"))\n"
        return md
    }

    /// Writes `README.md` in `directory` (atomically) from the folder's facts; returns its URL.
    @discardableResult
    public static func write(to directory: URL, audit: FairnessAudit? = nil, finchVersion: String) throws -> URL {
        let url = directory.appendingPathComponent("README.md")
        let text = markdown(for: try ModelFacts.read(from: directory), audit: audit, finchVersion: finchVersion)
        try AtomicFile.write(Data(text.utf8), to: url)
        return url
    }

    private static func number(_ value: Double) -> String { String(format: "%.4f", value) }

    /// A YAML double-quoted scalar.
    private static func quoted(_ value: String) -> String { JSONString.quoted(value) }
}
