import FinchSupport
import Foundation

/// A model card (`README.md` in the model folder): the Hugging Face YAML
/// header (library, pipeline tag, tags, language, license, base model,
/// datasets, `model-index` with the evaluation) and the sections of Mitchell
/// et al., "Model Cards for Model Reporting" (2019), filled from what the
/// folder records: `config.json` or `finch_classical.json`, `finch_task.json`,
/// `metrics.jsonl`, the run record `finch_run.json`, a fairness audit
/// `fairness_audit.json` and an int8 report `quantization.json`. What only a
/// person can know is a marked field (`ModelCardPersonFields`), kept when
/// the card is written again.
public enum ModelCard {
    /// The marker of a field a person has to write.
    public static func toBeWritten(_ what: String) -> String { "[to be written: \(what)]" }

    /// The sections, in order (each is a `## ` heading).
    public static let sections = [
        "Model details", "Intended use", "Factors", "Metrics", "Evaluation data", "Training data", "Quantitative analyses",
        "Ethical considerations", "Caveats and recommendations",
    ]

    /// The card of a classifier or tagger with `facts`; `audit` adds its
    /// per-group results, `run` what the training run knew, `quantization`
    /// the int8 copy's figures.
    public static func markdown(
        for facts: ModelFacts, audit: FairnessAudit? = nil, run: TrainingRunRecord? = nil, quantization: QuantizationFacts? = nil,
        finchVersion: String
    ) -> String {
        document(for: facts, audit: audit, run: run, quantization: quantization, finchVersion: finchVersion).markdown
    }

    /// The card's parts (see `markdown(for:audit:run:quantization:finchVersion:)`).
    public static func document(
        for facts: ModelFacts, audit: FairnessAudit?, run: TrainingRunRecord?, quantization: QuantizationFacts?, finchVersion: String
    ) -> ModelCardDocument {
        let classification = facts.task.task == .classification
        let image = facts.imageInput != nil
        let pipeline = image ? "image-classification" : classification ? "text-classification" : "token-classification"
        let metricNames = classification ? ["accuracy", "macro_f1", "weighted_f1"] : ["precision", "recall", "f1"]
        let final = facts.bestEvaluation ?? run?.metrics
        let index = metricNames.compactMap { name in final?[name].map { ModelCardDocument.IndexMetric(type: name, value: $0) } }
        var tags = [pipeline]
        if let type = facts.modelType { tags.append(type) }
        let version = run?.finchVersion ?? finchVersion
        let kind = image ? "image classifier" : classification ? "text classifier" : "named-entity tagger"
        // `finch distill` records its command line: the student is distilled from the base model, its teacher.
        let distilled = run?.command.hasPrefix("finch distill") ?? false
        let summary =
            image
            ? "An \(kind) trained from scratch with Finch \(version)."
            : facts.classical != nil
                ? "A \(kind) trained with Finch \(version) (\(facts.classical!))."
                : distilled
                    ? "A \(kind) distilled with Finch \(version) from a larger teacher (DistilBERT's recipe: soft labels and true labels)."
                    : "A \(kind) fine-tuned with Finch \(version)."

        var details = "- Architecture: \(facts.architecture ?? "unknown")"
        if let type = facts.modelType { details += " (\(type) model type)" }
        if let h = facts.hiddenSize, let l = facts.layers { details += ", hidden size \(h), \(l) layers" }
        if let v = facts.vocabularySize { details += ", vocabulary \(v)" }
        details += "\n- Task: \(pipeline)"
        if let input = facts.imageInput {
            details += "; \(input)"
        } else if facts.classical == nil {
            details += "; sequences of at most \(facts.task.maxLength) tokens"
        }
        details += "\n- Labels (\(facts.labels.count)): \(facts.labels.joined(separator: ", "))\n"
        if classification && !image {
            details += "- Input columns: text `\(facts.task.textColumn ?? "text")`"
            if let pair = facts.task.textPairColumn { details += ", text pair `\(pair)`" }
            details += ", label `\(facts.task.labelColumn ?? "label")`\n"
        }
        if facts.classical == nil && !image {
            details +=
                (distilled ? "- Teacher (distilled from): " : "- Base model: ")
                + (run?.baseModel.map { "`\($0)`" } ?? personField("base_model", "the pretrained checkpoint fine-tuned"))
            details += "\n"
        }
        details += run.map(runLines) ?? ""
        details += commonDetails()

        var factors = personField("factors", "groups, instruments and environments whose performance may differ")
        if let audit { factors += " An audit by `\(audit.sensitiveFeature)` is reported below." }
        var metrics =
            classification
            ? "Accuracy and macro/weighted F1 as scikit-learn's classification report computes them (`finch evaluate`)."
            : "Entity-level precision, recall and F1 as seqeval computes them (`finch evaluate`)."
        if audit != nil { metrics += " Group fairness as Fairlearn's MetricFrame computes it (`finch audit classify`)." }

        var quantitative = ""
        if let run, !run.metrics.isEmpty {
            quantitative += "Last evaluation of this run (\(run.evaluationData ?? "development data")):\n\n"
            quantitative += metricTable(run.metrics) + "\n"
        }
        if facts.evaluations.isEmpty {
            if run == nil { quantitative += "No evaluation was recorded (`metrics.jsonl` is missing or empty).\n" }
        } else if facts.classical == nil {
            let shown = metricNames.filter { name in facts.evaluations.contains { $0[name] != nil } }
            let curves = run?.curvesFile ?? "training_curves.svg"
            quantitative += "Evaluations during training (`metrics.jsonl`; the curves are in `\(curves)`):\n\n"
            quantitative += table(
                header: ["step", "epoch"] + shown,
                rows: facts.evaluations.map { e in
                    [e["step"].map { String(Int($0)) } ?? "", e["epoch"].map { String(Int($0)) } ?? ""]
                        + shown.map { e[$0].map(number) ?? "" }
                })
        } else if run == nil, let best = facts.bestEvaluation {
            quantitative += "Evaluation on the development data (`metrics.jsonl`):\n\n" + metricTable(best)
        }
        if let audit { quantitative += "\n" + auditSection(audit) }
        if let quantization { quantitative += "\n" + quantization.section }

        return ModelCardDocument(
            name: facts.name, summary: summary, pipelineTag: pipeline, taskType: pipeline, tags: tags,
            baseModel: run?.baseModel.flatMap(hubID), datasets: run.map(datasetNames) ?? [],
            evaluationName: "development set", indexMetrics: index,
            sections: [
                details, intendedUse(), factors, metrics, evaluationData(run),
                trainingData(run, labelHeader: classification ? "label" : "entity type"),
                quantitative, ethicalConsiderations(), caveats(),
            ])
    }

    // MARK: - Pieces every kind of card shares

    /// A person's field `id`, holding the to-be-written marker for `what`.
    public static func personField(_ id: String, _ what: String) -> String { ModelCardPersonFields.field(id, what) }

    /// The lines of "Model details" that only a person can write.
    public static func commonDetails() -> String {
        "- Developed by: \(personField("developed_by", "who trained the model, and a contact"))\n"
            + "- License: \(personField("license", "the license, and the base model's"))\n"
    }

    /// What the run knew, as "Model details" lines: version, date, duration, hardware, command and settings.
    public static func runLines(_ run: TrainingRunRecord) -> String {
        var s = "- Trained with Finch \(run.finchVersion), finished \(run.finishedAt), in \(duration(run.seconds)) on \(run.hardware)\n"
        s += "- Command: `\(run.command)`\n"
        if !run.settings.isEmpty {
            s += "- Settings: " + run.settings.keys.sorted().map { "\($0) = \(run.settings[$0]!)" }.joined(separator: ", ") + "\n"
        }
        return s
    }

    /// "Intended use": two person fields.
    public static func intendedUse() -> String {
        "- Primary uses: \(personField("primary_uses", "what the model is for, and for whom"))\n"
            + "- Out-of-scope uses: \(personField("out_of_scope", "uses the model was not built or evaluated for"))\n"
    }

    /// "Evaluation data": what the run says, then a person field.
    public static func evaluationData(_ run: TrainingRunRecord?) -> String {
        var s = ""
        if let e = run?.evaluationData { s += "Evaluated on \(e).\n\n" }
        return s + personField("evaluation_data", "the evaluation set: source, how it represents the intended use") + "\n"
    }

    /// "Training data": the files (rows, SHA-256), the label distribution, then a person field.
    public static func trainingData(_ run: TrainingRunRecord?, labelHeader: String) -> String {
        var s = ""
        if let run, !run.dataFiles.isEmpty {
            s += "Files read by the run:\n\n"
            s += table(
                header: ["role", "file", "rows", "SHA-256"],
                rows: run.dataFiles.map { [$0.role, "`\($0.path)`", String($0.rows), "`\($0.sha256)`"] })
            s += "\n"
        }
        if let counts = run?.labelDistribution, !counts.isEmpty {
            let total = counts.values.reduce(0, +)
            s += "Distribution in the training file (before any hold-out):\n\n"
            s += table(
                header: [labelHeader, "count", "share"],
                rows: counts.keys.sorted().map { [$0, String(counts[$0]!), number(Double(counts[$0]!) / Double(max(total, 1)))] })
            s += "\n"
        }
        return s + personField("training_data", "the training data: source, collection, licence, known biases") + "\n"
    }

    /// "Ethical considerations": a person field.
    public static func ethicalConsiderations() -> String {
        personField("ethical_considerations", "sensitive data used, risks and harms, mitigations") + "\n"
    }

    /// "Caveats and recommendations": a person field.
    public static func caveats() -> String {
        personField("caveats", "known limits, and what users should check before relying on it") + "\n"
    }

    /// A fairness audit's per-group table and gaps.
    public static func auditSection(_ audit: FairnessAudit) -> String {
        var s = "By `\(audit.sensitiveFeature)` (positive label `\(audit.positiveLabel)`; `finch audit classify`):\n\n"
        s += table(
            header: ["group", "n", "accuracy", "precision", "recall", "selection rate", "FPR", "FNR"],
            rows: ([audit.overall] + audit.groups).map { g in
                [g.group, String(g.count)]
                    + [g.accuracy, g.precision, g.recall, g.selectionRate, g.falsePositiveRate, g.falseNegativeRate].map(number)
            })
        s += "\nDemographic parity difference \(number(audit.demographicParityDifference)), ratio "
        s += "\(audit.demographicParityRatio.map(number) ?? "undefined"); equalized odds difference "
        s += "\(number(audit.equalizedOddsDifference)).\n"
        return s
    }

    /// A one-row table of metrics, names sorted.
    public static func metricTable(_ metrics: [String: Double]) -> String {
        let names = metrics.keys.sorted().filter { $0 != "step" && $0 != "epoch" }
        return table(header: names, rows: [names.map { number(metrics[$0]!) }])
    }

    /// A Markdown table; the first column left-aligned, the others right-aligned.
    public static func table(header: [String], rows: [[String]]) -> String {
        var s = "| " + header.joined(separator: " | ") + " |\n|"
        s += header.indices.map { $0 == 0 ? "---|" : "---:|" }.joined() + "\n"
        for row in rows { s += "| " + row.joined(separator: " | ") + " |\n" }
        return s
    }

    /// The data files' names (last path component), each once, for the header's `datasets`.
    public static func datasetNames(_ run: TrainingRunRecord) -> [String] {
        var seen = Set<String>()
        return run.dataFiles.map { URL(fileURLWithPath: $0.path).lastPathComponent }.filter { seen.insert($0).inserted }
    }

    /// `org/name` of a hub reference (`hf:org/name[@rev]` or `org/name`), nil for a local folder.
    static func hubID(_ reference: String) -> String? {
        var r = reference
        if r.hasPrefix("hf:") { r.removeFirst(3) } else { return nil }
        if let at = r.firstIndex(of: "@") { r = String(r[..<at]) }
        return r.split(separator: "/").count == 2 ? r : nil
    }

    /// Seconds as `1 h 2 min`, `3 min 4 s` or `5.6 s`.
    static func duration(_ seconds: Double) -> String {
        if seconds < 60 { return String(format: "%.1f s", seconds) }
        let s = Int(seconds.rounded())
        if s < 3600 { return "\(s / 60) min \(s % 60) s" }
        return "\(s / 3600) h \(s % 3600 / 60) min"
    }

    /// A metric as the card shows it (4 decimals).
    public static func number(_ value: Double) -> String { String(format: "%.4f", value) }
}
