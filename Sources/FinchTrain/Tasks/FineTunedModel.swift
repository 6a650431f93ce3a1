import FinchNN
import FinchTensor
import FinchText
import FinchTransformers
import Foundation

/// A fine-tuned model directory ready for prediction and evaluation.
public enum FineTunedModel {
    /// A sequence classifier.
    case classifier(TextClassificationTask)
    /// A token classifier (NER).
    case tagger(TokenClassificationTask)

    /// Loads `directory` (written by `finch train` or by `transformers`); LoRA
    /// adapters saved beside the weights are merged in, and int8 weights
    /// (`model.int8.safetensors`, written by `finch quantize`) make the
    /// inference path run int8.
    public static func load(_ directory: URL) throws -> FineTunedModel {
        let model = try loadFloat(directory)
        try model.loadInferenceQuantizationIfPresent(from: directory)
        return model
    }

    private static func loadFloat(_ directory: URL) throws -> FineTunedModel {
        let meta = try TaskMetadata.read(from: directory)
        switch meta.task {
        case .classification:
            let task = try TextClassificationTask(modelDirectory: directory, labels: nil, maxLength: nil, seed: 0)
            if try LoRAFiles.attachIfPresent(to: task.classifier, from: directory) { task.classifier.mergeLoRA() }
            task.classifier.eval()
            return .classifier(task)
        case .ner:
            let task = try TokenClassificationTask(
                modelDirectory: directory, labels: nil, maxLength: nil, boundary: nil, splitting: nil, seed: 0)
            if try LoRAFiles.attachIfPresent(to: task.tagger, from: directory) { task.tagger.mergeLoRA() }
            task.tagger.eval()
            return .tagger(task)
        }
    }

    /// Evaluates on a labelled file (CSV/TSV/JSONL for classifiers, CoNLL for taggers).
    public func evaluate(file: URL, columns: ClassificationColumns? = nil) throws -> Evaluation {
        switch self {
        case .classifier(let task):
            let c =
                columns
                ?? ClassificationColumns(
                    text: task.metadata.textColumn ?? "text", textPair: task.metadata.textPairColumn,
                    label: task.metadata.labelColumn ?? "label")
            let examples = try ClassificationReader(columns: c).read(file)
            return try task.evaluate(task.encode(examples, file: file.lastPathComponent))
        case .tagger(let task):
            let sentences = try CoNLLReader().read(file)
            return try task.evaluate(task.encode(sentences, file: file.lastPathComponent))
        }
    }

    /// Classifies texts (or text pairs), batched.
    public func classify(_ texts: [(String, String?)]) throws -> [ClassPrediction] {
        guard case .classifier(let task) = self else { throw TaskError.wrongTask(path: "model", expected: "a classifier", found: "tagger") }
        let probs = try task.probabilities(task.encode(texts: texts))
        let c = task.labels.count, p = probs.scalars
        return texts.indices.map { i in
            var best = 0
            for j in 1..<c where p[i * c + j] > p[i * c + best] { best = j }
            var all: [String: Double] = [:]
            for j in 0..<c { all[task.labels.label(for: j)] = Double(p[i * c + j]) }
            let chosen = task.isMultiLabel ? (0..<c).filter { p[i * c + $0] >= 0.5 }.map { task.labels.label(for: $0) } : nil
            return ClassPrediction(label: task.labels.label(for: best), labels: chosen, score: Double(p[i * c + best]), scores: all)
        }
    }

    /// Finds entities in raw texts.
    public func entities(in texts: [String]) throws -> [[EntityPrediction]] {
        guard case .tagger(let task) = self else { throw TaskError.wrongTask(path: "model", expected: "a tagger", found: "classifier") }
        let splitting = task.metadata.wordSplitting ?? .whitespace
        let words = texts.map { Self.words(in: $0, splitting: splitting) }
        let encoded = words.map { task.encode(words: $0.map(\.text), tags: nil, line: 0) }
        let predicted = try task.predictWords(encoded)
        return zip(zip(texts, words), predicted).map { pair, tags in
            Self.group(text: pair.0, words: pair.1, tags: tags.map { $0.map { (task.labels.label(for: $0.0), $0.1) } })
        }
    }

    /// A word of a text with its `[start, end)` in Unicode scalars.
    public struct Word: Equatable, Sendable {
        public var text: String
        public var start: Int
        public var end: Int

        public init(text: String, start: Int, end: Int) {
            self.text = text
            self.start = start
            self.end = end
        }
    }

    /// The words of `text` as a tagger cuts it: runs of non-space characters, or every non-space
    /// character (`splitting`). Predicting, explaining and retraining all cut words this way.
    public static func words(in text: String, splitting: WordSplitting) -> [Word] {
        var out: [Word] = []
        var current = String.UnicodeScalarView(), start = 0
        for (i, s) in text.unicodeScalars.enumerated() {
            let space = s.properties.isWhitespace
            if splitting == .characters {
                if !space { out.append(Word(text: String(s), start: i, end: i + 1)) }
                continue
            }
            if space {
                if !current.isEmpty { out.append(Word(text: String(current), start: start, end: i)) }
                current = String.UnicodeScalarView()
            } else {
                if current.isEmpty { start = i }
                current.append(s)
            }
        }
        if !current.isEmpty { out.append(Word(text: String(current), start: start, end: start + current.count)) }
        return out
    }

    /// Groups word tags (IOB2; an I- without a matching B- starts an entity, as seqeval) into entities.
    static func group(text: String, words: [Word], tags: [(String, Float)?]) -> [EntityPrediction] {
        let scalars = Array(text.unicodeScalars)
        var out: [EntityPrediction] = []
        var open: (type: String, start: Int, end: Int, scores: [Float])? = nil
        func close() {
            if let o = open {
                var view = String.UnicodeScalarView()
                view.append(contentsOf: scalars[o.start..<o.end])
                out.append(
                    EntityPrediction(
                        text: String(view), label: o.type, start: o.start, end: o.end,
                        score: Double(o.scores.reduce(0, +) / Float(o.scores.count))))
            }
            open = nil
        }
        for (word, tag) in zip(words, tags) {
            guard let (label, p) = tag, label != "O", label.count > 2, label.dropFirst().first == "-" else {
                close()
                continue
            }
            let prefix = label.first!, type = String(label.dropFirst(2))
            if prefix == "I", let o = open, o.type == type {
                open = (type, o.start, word.end, o.scores + [p])
            } else {
                close()
                open = (type, word.start, word.end, [p])
            }
        }
        close()
        return out
    }
}
