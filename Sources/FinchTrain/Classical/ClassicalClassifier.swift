import FinchSupport
import FinchTransformers
import Foundation

/// A text classifier made of a feature extractor (TF-IDF or a sentence
/// embedder) and a classical head (logistic regression, linear SVM, kNN),
/// as `finch train classify --head` writes it: a folder with
/// `finch_classical.json` (its kind marker, labels, columns, features and
/// head) and, for embedding features, the embedder's files in `embedder/`.
/// `finch predict` and `finch evaluate` load it like a fine-tuned model.
public final class ClassicalClassifier {
    /// What is saved in `finch_classical.json`.
    public struct Stored: Equatable, Sendable, Codable {
        /// The kind marker: `finch-classical-classifier`.
        public var format: String
        /// The format's version (1).
        public var version: Int
        /// The labels; a label's class index is its position (Hugging Face's order, as fine-tuned models).
        public var labels: [String]
        /// The column of the text in training (the default for `finch evaluate`).
        public var textColumn: String
        /// The column of the label in training.
        public var labelColumn: String
        /// The feature extractor.
        public var features: ClassicalFeatures
        /// The fitted head.
        public var head: ClassicalHead

        enum CodingKeys: String, CodingKey {
            case format, version, labels, features, head
            case textColumn = "text_column"
            case labelColumn = "label_column"
        }
    }

    /// The file that marks a classical classifier's folder.
    public static let fileName = "finch_classical.json"
    /// The value of `format` in that file.
    public static let formatMarker = "finch-classical-classifier"
    /// The folder, inside the classifier's, that holds a copied embedder.
    public static let embedderFolder = "embedder"

    /// The saved parts.
    public let stored: Stored
    /// The loaded embedder for embedding features, nil for TF-IDF.
    public let embedder: TextEmbedder?

    /// A classifier from its parts; `embedder` must be given for embedding features.
    public init(stored: Stored, embedder: TextEmbedder?) {
        precondition((stored.features.kind == .embeddings) == (embedder != nil), "embedding features need their embedder")
        self.stored = stored
        self.embedder = embedder
    }

    /// True when `directory` holds a classical classifier (its `finch_classical.json`).
    public static func isClassifier(at directory: URL) -> Bool {
        FileManager.default.fileExists(atPath: directory.appendingPathComponent(fileName).path)
    }

    /// Loads a folder written by `save(to:)`; a damaged or foreign file is a `ClassicalError.invalidModelFile` naming it.
    public static func load(_ directory: URL) throws -> ClassicalClassifier {
        let url = directory.appendingPathComponent(fileName)
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw ClassicalError.invalidModelFile(path: url.path, reason: "cannot read the file")
        }
        let stored: Stored
        do { stored = try JSONDecoder().decode(Stored.self, from: data) } catch let error as DecodingError {
            throw ClassicalError.invalidModelFile(path: url.path, reason: Self.explain(error))
        }
        guard stored.format == formatMarker, stored.version == 1 else {
            throw ClassicalError.invalidModelFile(
                path: url.path, reason: "format '\(stored.format)' version \(stored.version) is not \(formatMarker) version 1")
        }
        guard stored.labels.count == stored.head.classCount, Set(stored.labels).count == stored.labels.count else {
            throw ClassicalError.invalidModelFile(
                path: url.path, reason: "\(stored.labels.count) distinct labels expected for a head of \(stored.head.classCount) classes")
        }
        var embedder: TextEmbedder? = nil
        switch stored.features {
        case .tfidf(let v):
            guard v.featureCount == stored.head.featureCount else {
                throw ClassicalError.invalidModelFile(
                    path: url.path, reason: "the vocabulary has \(v.featureCount) terms but the head reads \(stored.head.featureCount)")
            }
        case let .embeddings(folder, maxLength):
            guard !folder.contains(".."), !folder.hasPrefix("/") else {
                throw ClassicalError.invalidModelFile(path: url.path, reason: "the embedder folder '\(folder)' is outside the model")
            }
            let e = try TextEmbedder(directory: directory.appendingPathComponent(folder), maxLength: maxLength)
            guard e.dimension == stored.head.featureCount else {
                throw ClassicalError.invalidModelFile(
                    path: url.path, reason: "the embedder gives \(e.dimension) values but the head reads \(stored.head.featureCount)")
            }
            embedder = e
        }
        return ClassicalClassifier(stored: stored, embedder: embedder)
    }

    /// Writes `finch_classical.json` into `directory` atomically (the embedder's files are the trainer's business).
    public func save(to directory: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try AtomicFile.write(try encoder.encode(stored), to: directory.appendingPathComponent(Self.fileName))
    }

    /// The labels in class-index order.
    public var labels: LabelSet { LabelSet(orderedLabels: stored.labels) }

    /// The features of `texts`.
    public func features(_ texts: [String]) throws -> FeatureMatrix {
        switch stored.features {
        case .tfidf(let v): return .sparse(v.transform(texts))
        case .embeddings: return try Self.embeddings(texts, embedder!)
        }
    }

    /// Sentence vectors as dense `Double` rows.
    static func embeddings(_ texts: [String], _ embedder: TextEmbedder) throws -> FeatureMatrix {
        let t = try embedder.embed(texts)
        return .dense(values: t.scalars.map(Double.init), rowCount: texts.count, columnCount: embedder.dimension)
    }

    /// Classifies texts: the predicted label, its score and every label's score (see `ClassicalHead.scores`).
    public func classify(_ texts: [String]) throws -> [ClassPrediction] {
        guard !texts.isEmpty else { return [] }
        let x = try features(texts)
        let scores = try stored.head.scores(x), predicted = try stored.head.predict(x)
        return zip(scores, predicted).map { p, best in
            var all: [String: Double] = [:]
            for (j, label) in stored.labels.enumerated() { all[label] = p[j] }
            return ClassPrediction(label: stored.labels[best], labels: nil, score: p[best], scores: all)
        }
    }

    /// Evaluates on labelled examples: scikit-learn's classification report,
    /// with accuracy, macro and weighted F1, and the mean negative log score as `loss`.
    public func evaluate(_ examples: [ClassificationExample], file: String) throws -> Evaluation {
        let truth = try labels.ids(for: examples, file: file)
        let x = try features(examples.map(\.text))
        let scores = try stored.head.scores(x), predicted = try stored.head.predict(x)
        var loss = 0.0
        for (p, t) in zip(scores, truth) { loss -= Foundation.log(Swift.max(p[t], 1e-12)) }
        let report = ClassificationReport(
            truth: truth.map { stored.labels[$0] }, predicted: predicted.map { stored.labels[$0] })
        let e = report.evaluation
        return Evaluation(
            metrics: [
                "accuracy": e.accuracy, "macro_f1": e.macroF1, "weighted_f1": e.weightedF1,
                "loss": loss / Double(Swift.max(examples.count, 1)),
            ],
            report: report.text(), json: try e.jsonString())
    }

    /// Evaluates on a labelled file (CSV/TSV/JSONL); `columns` nil means the training columns.
    public func evaluate(file: URL, columns: ClassificationColumns? = nil) throws -> Evaluation {
        let c = columns ?? ClassificationColumns(text: stored.textColumn, label: stored.labelColumn)
        guard c.textPair == nil else {
            throw ClassicalError.invalidSetting(name: "text_pair_column", reason: "a classical classifier reads one text per example")
        }
        let examples = try ClassificationReader(columns: c).read(file)
        return try evaluate(examples, file: file.relativePath)
    }

    static func explain(_ error: DecodingError) -> String {
        func path(_ keys: [any CodingKey]) -> String {
            keys.isEmpty ? "the top level" : keys.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case let .dataCorrupted(c):
            return c.codingPath.isEmpty ? "not valid JSON" : "\(path(c.codingPath)): \(c.debugDescription)"
        case let .keyNotFound(key, c): return "missing \(path(c.codingPath + [key]))"
        case let .typeMismatch(_, c), let .valueNotFound(_, c): return "field '\(path(c.codingPath))' has the wrong type"
        @unknown default: return "not a classical classifier"
        }
    }
}
