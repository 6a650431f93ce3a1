import ArgumentParser
import FinchTrain
import Foundation

extension ExplanationMethod: ExpressibleByArgument {}
extension AttributionBaseline: ExpressibleByArgument {}
extension OcclusionToken: ExpressibleByArgument {}

/// `finch explain`: which words made a fine-tuned model predict what it did.
struct Explain: ParsableCommand {
    /// What the command writes.
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case json, html
    }

    static let configuration = CommandConfiguration(
        abstract: "Explain a fine-tuned model's prediction on one text: an attribution per word.",
        discussion: """
            The words of TEXT (joined by spaces) are scored by how much they moved the explained \
            output. A classifier explains the probability of its predicted class (or --label); a \
            tagger explains each entity it finds, through the sum of the logits of the entity words' \
            first pieces for their predicted tags.

            --method ig (integrated gradients, the default) integrates the gradient along the \
            straight path from a baseline to the input's word embeddings with the Gauss-Legendre \
            rule (--steps points, as Captum's LayerIntegratedGradients). The baseline puts the \
            [PAD] embedding (--baseline pad) or zeros (--baseline zero) at every position except \
            the special tokens, which keep theirs; position and segment embeddings are not \
            interpolated. "delta" is the sum of the attributions minus the change of the output \
            from baseline to input: near 0 when --steps is enough.

            --method occlusion replaces each word's tokens by [MASK] (--occluder mask) or [PAD] and \
            reports the drop of the output: cheaper, one forward pass per word.

            JSON: one line per explanation, {"label", "score", "method", "attributions": [{"word", \
            "start", "end", "attribution"}], "special": [{"token", "position", "attribution"}], \
            "delta", "output"}, offsets in Unicode code points of the text ("segment" 0 or 1 with \
            --pair); a tagger's lines add "entity". HTML: a self-contained page with the words \
            shaded green (raised the output) or red (lowered it) by size.
            """)

    @OptionGroup var model: ModelOption
    @Option(help: "ig (integrated gradients) or occlusion.") var method: ExplanationMethod = .ig
    @Option(help: "Integrated gradients: integration points.") var steps = 50
    @Option(help: "Integrated gradients: pad or zero.") var baseline: AttributionBaseline = .pad
    @Option(name: .customLong("batch-size"), help: "Inputs per forward pass (default: all steps, or 32 occluded copies).")
    var batchSize: Int?
    @Option(help: "Classifiers: the class to explain (default: the predicted one).") var label: String?
    @Option(help: "Classifiers of sentence pairs: the second text.") var pair: String?
    @Option(help: "Occlusion: mask or pad.") var occluder: OcclusionToken = .mask
    @Option(help: "json or html.") var format: Format = .json
    @Argument(help: "The text to explain (the arguments are joined by spaces).") var text: [String]

    func validate() throws {
        guard steps >= 1 else { throw ValidationError("--steps must be at least 1") }
        if let batchSize, batchSize < 1 { throw ValidationError("--batch-size must be at least 1") }
        guard !text.isEmpty else { throw ValidationError("give the text to explain") }
    }

    func run() throws {
        let explainer = try TextExplainer(directory: try model.resolve())
        let input = text.joined(separator: " ")
        let options = ExplanationOptions(
            method: method, steps: steps, baseline: baseline, internalBatchSize: batchSize, label: label, occluder: occluder)
        let explanations = try explainer.explain(input, pair: pair, options: options)
        switch format {
        case .json:
            for e in explanations { try StandardOutput.json(e) }
        case .html:
            try StandardOutput.write(ExplanationHTML.page(explanations, text: input, pair: pair))
        }
    }
}
