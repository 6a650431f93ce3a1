import ArgumentParser
import FinchSupport
import FinchText
import FinchTransformers
import Foundation

/// `finch quantize`: an int8 copy of a sentence-embedding model.
struct Quantize: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Quantize a sentence-embedding model to int8 for faster inference.",
        discussion: """
            Copies the model folder to --out and adds model.int8.safetensors: the
            encoder's Linear weights in int8 with one scale per output channel
            (activations are quantized per row at run time, as ONNX Runtime's
            dynamic quantization; embeddings, layer norm, softmax and GELU stay
            float). finch embed, search and serve load it from there. Before
            writing, both models embed the texts of --eval (one per line; a
            built-in sample without it): the report gives the speed of each and
            the cosine of the int8 sentence vectors to the float ones, and goes
            into quantization.json in --out. The command refuses, writing
            nothing, when the mean cosine is below --min-cosine or int8 is not
            faster, unless --force. The float model.safetensors stays as it was.
            """)

    @OptionGroup var model: ModelOption
    @Option(help: "Output folder (must not exist).") var out: String
    @Option(help: "Texts to measure on, one per line (default: a built-in sample).") var eval: String?
    @Option(name: .customLong("min-cosine"), help: "Lowest mean cosine of int8 to float vectors accepted (0 to 1).")
    var minCosine = 0.99
    @Flag(help: "Write the int8 model even when the checks fail.") var force = false
    @OptionGroup var output: JSONOutputOption

    func validate() throws {
        guard (0...1).contains(minCosine) else { throw ValidationError("--min-cosine must be between 0 and 1, got \(minCosine)") }
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
        let destination = URL(fileURLWithPath: out)
        try FileManager.default.copyItem(at: source, to: destination)
        let folder = try SentenceTransformersFolder(contentsOf: destination)
        try embedder.embedder.model.saveInferenceQuantization(
            to: folder.transformerDirectory.appendingPathComponent(SentenceEmbedder.int8WeightsFile))
        let card: [String: Any] = [
            "scheme": BertModel.inferenceQuantizationScheme, "source": source.path, "texts": report.texts,
            "float_seconds": report.floatSeconds, "int8_seconds": report.int8Seconds, "speedup": report.speedup,
            "mean_cosine": report.meanCosine, "min_cosine": report.minCosine, "kernel": report.kernel,
            "checks_passed": accepted, "forced": force && !accepted,
        ]
        let data = try JSONSerialization.data(withJSONObject: card, options: [.sortedKeys, .prettyPrinted])
        try AtomicFile.write(data, to: destination.appendingPathComponent("quantization.json"))
        if output.json {
            let line = try JSONSerialization.data(withJSONObject: card, options: [.sortedKeys])
            try StandardOutput.line(String(decoding: line, as: UTF8.self))
        } else {
            try StandardOutput.line(
                "wrote \(out): int8 \(Self.format(report.speedup))× the float speed on \(report.texts) texts "
                    + "(\(report.kernel)), mean cosine \(Self.format(report.meanCosine)) to the float vectors"
                    + (accepted ? "" : " (checks failed; written because of --force)"))
        }
    }

    static func format(_ x: Double) -> String { String(format: "%.4f", x) }
}
