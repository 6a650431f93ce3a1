import FinchNN
import FinchTensor
import FinchText
import FinchTransformers
import Foundation

/// Fine-tuning a `BertForTokenClassification` on tagged words (NER), with
/// entity-level (seqeval) evaluation.
public final class TokenClassificationTask: TrainingTask, FineTunableTask {
    /// The model that trains.
    public let tagger: BertForTokenClassification
    /// The model's tokenizer.
    public let tokenizer: Tokenizer
    /// The tags, in the model's output order.
    public let labels: LabelSet
    /// Pieces per sentence, special tokens included.
    public let maxLength: Int
    /// Where the tokenizer files come from (copied next to saved models).
    public let tokenizerDirectory: URL
    /// Which piece of a word carries its label.
    public var boundary: WordBoundary
    /// Per-tag loss weights [tags]; nil for plain cross-entropy.
    public var classWeights: Tensor?
    /// What `finch_task.json` records next to the saved model.
    public var metadata: TaskMetadata
    /// Sentences per forward pass when evaluating and predicting.
    public var evaluationBatchSize = 64
    /// Set when LoRA adapters were attached; saved next to the model unless merged.
    public var loraConfiguration: LoRAConfiguration?
    private let frame: (prefix: [Int], suffix: [Int])
    private var pieceCache: [String: [Int]] = [:]
    private let cacheLock = NSLock()

    /// The tagger, as the Trainer sees it.
    public var model: any Module { tagger }
    /// The word embeddings FGM perturbs.
    public var wordEmbeddingKey: String? { "bert.embeddings.word_embeddings.weight" }
    /// Entity-level precision, recall and F1 (seqeval).
    public var reportedMetrics: [TrainingMetric]? { TrainingMetric.entities }

    /// A task over a loaded tagger and tokenizer.
    public init(
        tagger: BertForTokenClassification, tokenizer: Tokenizer, tokenizerDirectory: URL, maxLength: Int,
        boundary: WordBoundary, splitting: WordSplitting
    ) {
        self.tagger = tagger
        self.tokenizer = tokenizer
        labels = LabelSet(orderedLabels: tagger.labels)
        self.maxLength = maxLength
        self.tokenizerDirectory = tokenizerDirectory
        self.boundary = boundary
        frame = tokenizer.specialTokenFrame()
        metadata = TaskMetadata(task: .ner, maxLength: maxLength)
        metadata.wordBoundary = boundary
        metadata.wordSplitting = splitting
    }

    /// Loads a base encoder or fine-tuned tagger and its tokenizer. With
    /// `boundary` nil, a fine-tuned model's stored choice is used, else `.keep`.
    public convenience init(
        modelDirectory: URL, labels: [String]?, maxLength: Int?, boundary: WordBoundary?,
        splitting: WordSplitting?, seed: UInt64
    ) throws {
        var rng = FinchRNG(seed: seed)
        let tagger = try BertForTokenClassification(contentsOf: modelDirectory, labels: labels, rng: &rng)
        let tokenizer = try Tokenizer.load(directory: modelDirectory)
        let stored = try TaskMetadata.readIfPresent(in: modelDirectory)
        let length = Swift.min(maxLength ?? stored?.maxLength ?? 512, tagger.bert.config.maxPositionEmbeddings)
        self.init(
            tagger: tagger, tokenizer: tokenizer, tokenizerDirectory: modelDirectory, maxLength: length,
            boundary: boundary ?? stored?.wordBoundary ?? .keep,
            splitting: splitting ?? stored?.wordSplitting ?? .whitespace)
    }

    /// True when most words are single characters of a script written without
    /// spaces (CJK) and the tokenizer marks word starts with `▁` (Metaspace):
    /// the case where `WordBoundary.drop` is needed.
    public static func wantsBoundaryDropped(_ sentences: [TaggedSentence], tokenizer: Tokenizer) -> Bool {
        let probe = tokenizer.encode("中", addSpecialTokens: false).tokens
        guard probe.first?.hasPrefix("▁") == true else { return false }
        var cjk = 0, total = 0
        for s in sentences.prefix(2000) {
            for w in s.tokens {
                total += 1
                if w.unicodeScalars.count == 1, let v = w.unicodeScalars.first?.value,
                    (0x2E80...0x9FFF).contains(v) || (0xF900...0xFAFF).contains(v)
                {
                    cjk += 1
                }
            }
        }
        return total > 0 && cjk * 2 > total
    }

    /// Pieces of one word under the boundary rule (cached: words repeat).
    func pieces(of word: String) -> [Int] {
        cacheLock.lock()
        if let p = pieceCache[word] { cacheLock.unlock(); return p }
        cacheLock.unlock()
        let enc = tokenizer.encode(word, addSpecialTokens: false)
        var ids = enc.ids
        if boundary == .drop, let first = enc.tokens.first, first.hasPrefix("▁") {
            if first == "▁" && ids.count > 1 {
                ids.removeFirst()
            } else if first != "▁", let bare = tokenizer.tokenID(for: String(first.dropFirst())) {
                ids[0] = bare
            }
        }
        cacheLock.lock()
        pieceCache[word] = ids
        cacheLock.unlock()
        return ids
    }

    /// Tokenizes words; `tags` (label ids per word) go on each word's first piece.
    public func encode(words: [String], tags: [Int]?, line: Int) -> EncodedTaggedExample {
        let budget = maxLength - frame.prefix.count - frame.suffix.count
        var ids = frame.prefix, labels = [Int](repeating: -100, count: frame.prefix.count)
        var first: [Int?] = []
        for (w, word) in words.enumerated() {
            let p = pieces(of: word)
            guard !p.isEmpty, ids.count - frame.prefix.count + p.count <= budget else {
                first.append(nil)
                continue
            }
            first.append(ids.count)
            ids += p
            labels.append(tags?[w] ?? -100)
            labels += [Int](repeating: -100, count: p.count - 1)
        }
        ids += frame.suffix
        labels += [Int](repeating: -100, count: frame.suffix.count)
        return EncodedTaggedExample(
            ids: ids, typeIDs: [Int](repeating: 0, count: ids.count), labels: labels, firstPiece: first,
            wordTags: tags ?? [], line: line)
    }

    /// Sets the loss weights per tag: balanced over the labelled pieces, or explicit.
    func weightClasses(_ weighting: ClassWeighting, trainingExamples: [EncodedTaggedExample]) throws {
        switch weighting {
        case .balanced:
            var counts = [Int](repeating: 0, count: labels.count)
            for e in trainingExamples { for l in e.labels where l >= 0 { counts[l] += 1 } }
            let n = Float(counts.reduce(0, +)), c = Float(labels.count)
            classWeights = Tensor(counts.map { $0 > 0 ? n / (c * Float($0)) : 1 })
        case .perLabel(let weights):
            classWeights = try FineTuning.explicitWeights(weights, labels: labels)
        }
    }

    /// Encodes tagged sentences; tags must be known.
    public func encode(_ sentences: [TaggedSentence], file: String) throws -> [EncodedTaggedExample] {
        let tagIDs = try labels.ids(for: sentences, file: file)
        return zip(sentences, tagIDs).map { encode(words: $0.tokens, tags: $1, line: $0.line) }
    }

    /// Pieces of the sentence.
    public func length(of example: EncodedTaggedExample) -> Int { example.ids.count }

    func input(_ batch: [EncodedTaggedExample]) -> BertInput {
        BertInput(padding: batch.map(\.ids), tokenTypeIDs: batch.map(\.typeIDs), padTokenID: tokenizer.padID)
    }

    /// Mean cross-entropy over the labelled pieces of the batch, with the class weights.
    public func loss(on batch: [EncodedTaggedExample]) throws -> Tensor {
        let s = batch.map(\.ids.count).max() ?? 0
        let targets = batch.flatMap { $0.labels + [Int](repeating: -100, count: s - $0.labels.count) }
        return try tagger.logits(input(batch)).reshaped([-1, labels.count]).crossEntropy(targets: targets, classWeights: classWeights)
    }

    /// Per word: (label id, probability), nil for words cut off by the length limit.
    public func predictWords(_ examples: [EncodedTaggedExample]) throws -> [[(Int, Float)?]] {
        let order = examples.indices.sorted { examples[$0].ids.count > examples[$1].ids.count }
        var out = [[(Int, Float)?]](repeating: [], count: examples.count)
        let workspace = BertWorkspace()
        let c = labels.count
        var start = 0
        while start < order.count {
            let idx = Array(order[start..<Swift.min(start + evaluationBatchSize, order.count)])
            let batch = idx.map { examples[$0] }
            let s = batch.map(\.ids.count).max() ?? 0
            let probs = try logits(forInference: input(batch), workspace: workspace).softmax().scalars
            for (row, i) in idx.enumerated() {
                out[i] = examples[i].firstPiece.map { piece in
                    guard let piece else { return nil }
                    let base = (row * s + piece) * c
                    var best = 0
                    for j in 1..<c where probs[base + j] > probs[base + best] { best = j }
                    return (best, probs[base + best])
                }
            }
            start += evaluationBatchSize
        }
        return out
    }

    /// Entity-level precision, recall and F1 and seqeval's report.
    public func evaluate(_ examples: [EncodedTaggedExample]) throws -> Evaluation {
        let predicted = try predictWords(examples)
        let outside = labels.labels.contains("O") ? "O" : labels.label(for: 0)
        var truth: [[String]] = [], guesses: [[String]] = []
        for (e, words) in zip(examples, predicted) {
            // Words cut off by the length limit count as predicted outside.
            let t = e.wordTags.map { labels.label(for: $0) }
            let g = e.wordTags.indices.map { w in words[w].map { labels.label(for: $0.0) } ?? outside }
            truth.append(t)
            guesses.append(g)
        }
        let report = EntityReport(truth: truth, predicted: guesses)
        let e = report.evaluation
        return Evaluation(
            metrics: ["precision": e.precision, "recall": e.recall, "f1": e.f1], report: report.text(),
            json: try e.jsonString())
    }

    func logits(forInference input: BertInput, workspace: BertWorkspace) throws -> Tensor {
        try TaskHeadRuntime.logits(tagger, input, workspace: workspace, adapted: loraConfiguration != nil)
    }

    /// Writes the tagger, its adapters, the tokenizer files and `finch_task.json`.
    public func saveModel(to directory: URL) throws {
        try TaskHeadRuntime.save(tagger, lora: loraConfiguration, tokenizerDirectory: tokenizerDirectory, metadata: metadata, to: directory)
    }
}
