import FinchNN
import FinchTensor
import FinchText
import FinchTransformers
import Foundation

/// Explains a fine-tuned model's predictions on raw text: a classifier's
/// class (the predicted one unless `label` says otherwise), or each entity a
/// tagger finds. Attributions are per word (a pre-tokenizer word of the
/// tokenizer for classifiers; a word of the tagger's own word splitting for
/// taggers), each the sum of its tokens' attributions; special tokens are
/// reported apart.
///
/// Building one freezes the model's parameters; after that the explainer
/// only reads the model, so concurrent calls are safe.
public final class TextExplainer: @unchecked Sendable {
    /// The model being explained.
    public let model: FineTunedModel

    /// Explains `model` (its parameters are frozen).
    public init(model: FineTunedModel) {
        switch model {
        case .classifier(let task): task.classifier.freeze()
        case .tagger(let task): task.tagger.freeze()
        }
        self.model = model
    }

    /// Loads a fine-tuned model folder and explains it.
    public convenience init(directory: URL) throws {
        self.init(model: try FineTunedModel.load(directory))
    }

    /// Explanations of `text` (and `pair`, for a classifier of sentence
    /// pairs): one for a classifier, one per found entity for a tagger.
    public func explain(_ text: String, pair: String? = nil, options: ExplanationOptions = ExplanationOptions()) throws
        -> [Explanation]
    {
        if options.method == .ig, options.steps < 1 { throw ExplanationError.invalidSteps(options.steps) }
        switch model {
        case .classifier(let task):
            return [try explainClass(task, text: text, pair: pair, options: options)]
        case .tagger(let task):
            if pair != nil { throw ExplanationError.unsupported(method: "a sentence pair", model: "tagger") }
            return try explainEntities(task, text: text, options: options)
        }
    }

    /// Attributions per token (IG, with special tokens) or per group (occlusion), then the explanation.
    func run(
        head: any EmbeddingInputModel, tokenizer: Tokenizer, ids: [Int], typeIDs: [Int], special: [Bool], words: [TextWord],
        target: AttributionTarget, options: ExplanationOptions
    ) throws -> (attributions: [WordAttribution], special: [SpecialTokenAttribution], delta: Double?, output: Double) {
        guard !words.isEmpty else { throw ExplanationError.noWords }
        switch options.method {
        case .ig:
            let ig = IntegratedGradients(
                model: head,
                options: IntegratedGradientsOptions(
                    steps: options.steps, internalBatchSize: options.internalBatchSize, baseline: options.baseline))
            let result = try ig.attribute(ids: ids, typeIDs: typeIDs, special: special, target: target)
            let perWord = words.map { w in w.attribution(w.positions.reduce(0) { $0 + result.tokens[$1] }) }
            let specials = special.indices.filter { special[$0] }.map { p in
                SpecialTokenAttribution(token: tokenizer.token(for: ids[p]) ?? "\(ids[p])", position: p, attribution: result.tokens[p])
            }
            return (perWord, specials, result.delta, result.inputOutput)
        case .occlusion:
            let occlusion = Occlusion(model: head, batchSize: options.internalBatchSize ?? 32)
            let result = try occlusion.attribute(
                ids: ids, typeIDs: typeIDs, groups: words.map(\.positions), replacementID: occluderID(tokenizer, options.occluder),
                target: target)
            return (zip(words, result.drops).map { $0.attribution($1) }, [], nil, result.output)
        }
    }

    /// The id that replaces occluded tokens.
    func occluderID(_ tokenizer: Tokenizer, _ token: OcclusionToken) -> Int {
        if token == .mask, let id = tokenizer.tokenID(for: "[MASK]") ?? tokenizer.tokenID(for: "<mask>") { return id }
        return tokenizer.padID
    }

    func explainClass(_ task: TextClassificationTask, text: String, pair: String?, options: ExplanationOptions) throws -> Explanation {
        let enc = task.tokenizer.encode(text, pair: pair, truncation: Truncation(maxLength: task.maxLength))
        let input = BertInput(batchSize: 1, sequenceLength: enc.count, inputIDs: enc.ids, tokenTypeIDs: enc.typeIDs)
        try task.classifier.bert.validate(input)
        let logits = try task.classifier.inferenceLogits(input)
        let probs = (task.isMultiLabel ? logits.sigmoid() : logits.softmax(axis: -1)).scalars
        var label = probs.indices.max { probs[$0] < probs[$1] } ?? 0
        if let wanted = options.label {
            guard let id = task.labels.id(of: wanted) else { throw ExplanationError.unknownLabel(wanted, known: task.labels.labels) }
            label = id
        }
        let target: AttributionTarget =
            options.classifierOutput == .probability
            ? .probability(label: label, multiLabel: task.isMultiLabel) : .logit(label: label)
        let words = TextWord.words(of: enc, text: text, pair: pair)
        let r = try run(
            head: task.classifier, tokenizer: task.tokenizer, ids: enc.ids, typeIDs: enc.typeIDs,
            special: enc.specialTokensMask.map { $0 != 0 }, words: words, target: target, options: options)
        return Explanation(
            label: task.labels.label(for: label), score: Double(probs[label]), method: options.method, attributions: r.attributions,
            special: r.special, delta: r.delta, output: r.output, entity: nil,
            steps: options.method == .ig ? options.steps : nil, baseline: options.method == .ig ? options.baseline : nil,
            occluder: options.method == .occlusion ? task.tokenizer.token(for: occluderID(task.tokenizer, options.occluder)) : nil)
    }

    func explainEntities(_ task: TokenClassificationTask, text: String, options: ExplanationOptions) throws -> [Explanation] {
        let splitting = task.metadata.wordSplitting ?? .whitespace
        let spans = FineTunedModel.words(in: text, splitting: splitting)
        let encoded = task.encode(words: spans.map(\.text), tags: nil, line: 0)
        let predicted = try task.predictWords([encoded])[0]
        var words: [TextWord] = []
        for (w, span) in spans.enumerated() {
            guard let first = encoded.firstPiece[w] else { continue }
            let count = task.pieces(of: span.text).count
            words.append(
                TextWord(text: span.text, start: span.start, end: span.end, segment: nil, positions: Array(first..<(first + count))))
        }
        let covered = Set(words.flatMap(\.positions))
        let special = encoded.ids.indices.map { !covered.contains($0) }
        return try TaggedEntity.group(predicted, labels: task.labels).map { entity in
            let terms = entity.words.map { AttributionTarget.TokenLabel(position: encoded.firstPiece[$0.word]!, label: $0.tag) }
            let r = try run(
                head: task.tagger, tokenizer: task.tokenizer, ids: encoded.ids, typeIDs: encoded.typeIDs, special: special,
                words: words, target: .tokenLogits(terms), options: options)
            let first = spans[entity.words.first!.word], last = spans[entity.words.last!.word]
            let scalars = Array(text.unicodeScalars)
            var view = String.UnicodeScalarView()
            view.append(contentsOf: scalars[first.start..<last.end])
            return Explanation(
                label: entity.type, score: entity.score, method: options.method, attributions: r.attributions, special: r.special,
                delta: r.delta, output: r.output, entity: ExplainedEntity(text: String(view), start: first.start, end: last.end),
                steps: options.method == .ig ? options.steps : nil, baseline: options.method == .ig ? options.baseline : nil,
                occluder: options.method == .occlusion ? task.tokenizer.token(for: occluderID(task.tokenizer, options.occluder)) : nil)
        }
    }
}
