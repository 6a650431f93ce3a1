import ArgumentParser
import FinchApps
import FinchSupport
import FinchText
import FinchTrain
import FinchTransformers
import Foundation

/// `finch quantize`: an int8 copy of a sentence embedder, classifier or tagger.
struct Quantize: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Quantize a sentence embedder, classifier or tagger to int8 for faster inference.",
        discussion: """
            Copies the model folder to --out and adds model.int8.safetensors: the
            encoder's Linear weights in int8 with one scale per output channel
            (activations are quantized per row at run time, as ONNX Runtime's
            dynamic quantization; embeddings, layer norm, softmax, GELU and the
            task head stay float). finch embed, search, predict, evaluate and
            serve load it from there. The float model.safetensors stays as it was.

            Before writing, both models run on the same inputs and the report
            goes into quantization.json in --out and into the copy's model card
            (README.md):
              sentence embedder  --eval FILE is text, one per line (a built-in
                                 sample without it): speed of each and the
                                 cosine of the int8 sentence vectors to the
                                 float ones; refused when the mean cosine is
                                 below --min-cosine.
              classifier/tagger  --eval FILE is labelled data as finch evaluate
                                 reads it (CSV/TSV/JSONL, CoNLL for taggers):
                                 speed, the share of predictions kept, and
                                 accuracy (taggers: entity F1) of each; refused
                                 when it drops more than --max-drop points.
                                 Without --eval only speed and agreement on
                                 the built-in sample are measured.
            Refused too when int8 is not faster on this machine. A refusal writes
            nothing; --force writes the copy anyway and says so in the report.

            Example:
              finch quantize --model models/sentiment --out models/sentiment-int8 \\
                  --eval data/dev.csv
            """)

    @OptionGroup var model: ModelOption
    @Option(help: "Output folder (must not exist).") var out: String
    @Option(help: "Inputs to measure on: texts one per line (embedders) or labelled data (classifiers, taggers).")
    var eval: String?
    @Option(name: .customLong("min-cosine"), help: "Embedders: lowest mean cosine of int8 to float vectors accepted (0 to 1).")
    var minCosine = 0.99
    @Option(name: .customLong("max-drop"), help: "Classifiers and taggers: most accuracy (F1) points int8 may lose on --eval.")
    var maxDrop = 0.5
    @Flag(help: "Write the int8 model even when the checks fail.") var force = false
    @OptionGroup var output: JSONOutputOption

    func validate() throws {
        guard (0...1).contains(minCosine) else { throw ValidationError("--min-cosine must be between 0 and 1, got \(minCosine)") }
        guard maxDrop >= 0, maxDrop <= 100 else { throw ValidationError("--max-drop must be between 0 and 100 points, got \(maxDrop)") }
        guard !FileManager.default.fileExists(atPath: out) else { throw ValidationError("--out \(out) already exists") }
    }

    /// Texts measured on when no --eval is given.
    static let sample: [String] = [
        "How do I reset my password?", "The parcel arrived two days late and the box was damaged.",
        "Refunds are processed within five business days.", "Which plans include priority support?",
        "The new release improves search quality on long documents.", "Can I change the delivery address after ordering?",
        "The battery lasts about ten hours on a single charge.", "Our team meets every Tuesday to review the roadmap.",
    ]

    func run() throws {
        let source = try model.resolve()
        switch try ModelKind.detect(folder: source) {
        case .classifier, .tagger: return try quantizeTask(source)
        case .embedder: break
        case let kind:
            throw ValidationError("\(source.path) is a \(kind.rawValue) model; finch quantize takes embedders, classifiers and taggers")
        }
        var texts = Self.sample
        if let eval {
            let text = try String(contentsOf: URL(fileURLWithPath: eval), encoding: .utf8)
            texts = text.split(whereSeparator: \.isNewline).map(String.init).filter { !$0.isEmpty }
            guard !texts.isEmpty else { throw ValidationError("--eval \(eval) holds no text") }
        }
        let embedder = try TextEmbedder(directory: source)
        let ids = try embedder.tokenizer.encode(
            batch: texts.map { (text: $0, pair: nil) }, truncation: Truncation(maxLength: embedder.maxLength)
        ).map(\.ids)
        let report = try embedder.embedder.quantizeMeasuring(tokenIDs: ids)
        let accepted = report.meanCosine >= minCosine && report.speedup > 1
        if !accepted && !force {
            throw ValidationError(
                "refusing to write \(out): mean cosine \(Self.format(report.meanCosine)) (at least \(minCosine) needed), "
                    + "int8 \(Self.format(report.speedup))× the float speed (more than 1 needed); --force writes it anyway")
        }
        let card: [String: Any] = [
            "scheme": BertModel.inferenceQuantizationScheme, "source": source.path, "texts": report.texts,
            "float_seconds": report.floatSeconds, "int8_seconds": report.int8Seconds, "speedup": report.speedup,
            "mean_cosine": report.meanCosine, "min_cosine": report.minCosine, "kernel": report.kernel,
            "checks_passed": accepted, "forced": force && !accepted,
        ]
        try writeCopy(of: source, report: card) { copy in
            let folder = try SentenceTransformersFolder(contentsOf: copy)
            try embedder.embedder.model.saveInferenceQuantization(
                to: folder.transformerDirectory.appendingPathComponent(SentenceEmbedder.int8WeightsFile))
        }
        try say(
            card,
            "wrote \(out): int8 \(Self.format(report.speedup))× the float speed on \(report.texts) texts "
                + "(\(report.kernel)), mean cosine \(Self.format(report.meanCosine)) to the float vectors"
                + (accepted ? "" : " (checks failed; written because of --force)"))
    }

    /// A fine-tuned classifier or tagger: speed, agreement and (with --eval) the task metric before and after.
    func quantizeTask(_ source: URL) throws {
        let loaded = try FineTunedModel.load(source)
        if loaded.encoder.isQuantizedForInference {
            throw ValidationError("\(source.path) is already an int8 copy (it has \(FineTunedModel.int8WeightsFile))")
        }
        let report = try loaded.quantizeMeasuring(texts: Self.sample, evaluationFile: eval.map { URL(fileURLWithPath: $0) })
        let failures = report.failures(maxDrop: maxDrop)
        let accepted = failures.isEmpty
        if !accepted && !force {
            throw ValidationError("refusing to write \(out): " + failures.joined(separator: "; ") + "; --force writes it anyway")
        }
        var card: [String: Any] = [
            "scheme": BertModel.inferenceQuantizationScheme, "source": source.path, "texts": report.inputs,
            "float_seconds": report.floatSeconds, "int8_seconds": report.int8Seconds, "speedup": report.speedup,
            "agreement": report.agreement, "kernel": report.kernel, "checks_passed": accepted, "forced": force && !accepted,
        ]
        if let metric = report.metric, let f = report.floatMetric, let q = report.int8Metric {
            card["metric"] = metric
            card["float_metric"] = f
            card["int8_metric"] = q
        }
        try writeCopy(of: source, report: card) { copy in
            try loaded.encoder.saveInferenceQuantization(to: copy.appendingPathComponent(FineTunedModel.int8WeightsFile))
        }
        let metric = report.metric.map { m in
            ", \(m) \(Self.format(report.floatMetric ?? 0)) → \(Self.format(report.int8Metric ?? 0))"
        }
        try say(
            card,
            "wrote \(out): int8 \(Self.format(report.speedup))× the float speed on \(report.inputs) inputs "
                + "(\(report.kernel)), \(Self.format(report.agreement * 100))% of predictions kept" + (metric ?? "")
                + (accepted ? "" : " (checks failed; written because of --force)"))
    }

    /// Builds --out in a temporary sibling (so a failure leaves nothing): the
    /// source's files, what `addWeights` writes, `quantization.json`, and the
    /// model card regenerated with the int8 figures.
    func writeCopy(of source: URL, report: [String: Any], addWeights: (URL) throws -> Void) throws {
        try AtomicDirectory.replace(URL(fileURLWithPath: out)) { copy in
            for name in try FileManager.default.contentsOfDirectory(atPath: source.path) where !name.hasPrefix(".") {
                try FileManager.default.copyItem(at: source.appendingPathComponent(name), to: copy.appendingPathComponent(name))
            }
            try addWeights(copy)
            let data = try JSONSerialization.data(withJSONObject: report, options: [.sortedKeys, .prettyPrinted])
            try AtomicFile.write(data, to: copy.appendingPathComponent(QuantizationFacts.fileName))
            try ModelCardWriter.write(folder: copy, finchVersion: FinchVersion.string)
        }
    }

    /// The report: one JSON line with --json, else `sentence`.
    func say(_ report: [String: Any], _ sentence: String) throws {
        if output.json {
            let line = try JSONSerialization.data(withJSONObject: report, options: [.sortedKeys])
            try StandardOutput.line(String(decoding: line, as: UTF8.self))
        } else {
            try StandardOutput.line(sentence)
        }
    }

    static func format(_ x: Double) -> String { String(format: "%.4f", x) }
}
