import Foundation

/// What `finch train classify --head …` asks for: the same data files,
/// columns, seed and hold-out as fine-tuning, a feature extractor and a head
/// with their settings (named and defaulted as scikit-learn's).
public struct ClassicalTrainingRequest: Sendable {
    /// Training data (CSV/TSV/JSONL).
    public var trainFile: URL
    /// Development data; nil holds out a seeded share of `trainFile`.
    public var devFile: URL?
    /// Where the classifier is written.
    public var outputDirectory: URL
    /// Text and label columns (no text pair: one text per example).
    public var columns = ClassificationColumns()
    /// Seed of the hold-out split and of the SVM's visiting order.
    public var seed: UInt64 = 42
    /// Share held out when there is no development file.
    public var holdOut = 0.1
    /// The head.
    public var head: ClassicalHeadKind = .logistic
    /// The features.
    public var features: ClassicalFeatureKind = .tfidf
    /// The sentence embedder for embedding features.
    public var embedderDirectory: URL?
    /// Tokens per text for the embedder (nil: its own limit).
    public var maxLength: Int?
    /// TF-IDF settings.
    public var tfidf = TfidfConfiguration()
    /// `C` of logistic regression and the SVM.
    public var c = 1.0
    /// Neighbours of kNN.
    public var neighbors = 5
    /// kNN vote weighting.
    public var weighting: KNeighborsClassifier.Weighting = .uniform
    /// Solver tolerance; nil: the head's default (1e-4 for both).
    public var tolerance: Double?
    /// Solver iteration limit; nil: the head's default.
    public var maxIterations: Int?

    /// A request with the defaults: TF-IDF features, logistic regression.
    public init(trainFile: URL, outputDirectory: URL) {
        self.trainFile = trainFile
        self.outputDirectory = outputDirectory
    }

    /// Checks every setting before anything is read; throws `ClassicalError.invalidSetting`.
    public func validate() throws {
        func check(_ ok: Bool, _ name: String, _ reason: String) throws {
            if !ok { throw ClassicalError.invalidSetting(name: name, reason: reason) }
        }
        try check(c > 0 && c.isFinite, "C", "must be a positive number, got \(c)")
        try check(neighbors >= 1, "n_neighbors", "must be at least 1, got \(neighbors)")
        try check(tolerance.map { $0 > 0 && $0.isFinite } ?? true, "tol", "must be a positive number")
        try check(maxIterations.map { $0 >= 1 } ?? true, "max_iter", "must be at least 1")
        try check(holdOut > 0 && holdOut < 1, "hold_out", "must be in (0, 1)")
        try check(columns.textPair == nil, "text_pair_column", "a classical classifier reads one text per example")
        try check(maxLength.map { $0 >= 2 } ?? true, "max_length", "must be at least 2")
        switch features {
        case .tfidf:
            try tfidf.validate()
            try check(embedderDirectory == nil, "embedder", "is for embedding features")
        case .embeddings:
            try check(embedderDirectory != nil, "embedder", "embedding features need a sentence embedder")
        }
        if let e = embedderDirectory {
            let model = e.standardizedFileURL.path, out = outputDirectory.standardizedFileURL.path
            try check(out != model && !out.hasPrefix(model + "/"), "out", "must not be the embedder's folder or inside it")
        }
    }
}

/// How a classical training run went.
public struct ClassicalTrainingResult: Sendable {
    /// Where the development examples came from.
    public var development: DevelopmentSource
    /// Examples trained on.
    public var trainExamples: Int
    /// Features per example.
    public var featureCount: Int
    /// The labels, in the model's order.
    public var labels: [String]
    /// The evaluation on the development examples.
    public var evaluation: Evaluation
    /// Seconds spent making the training features (TF-IDF fit, or embedding).
    public var featureSeconds: Double
    /// Seconds spent fitting the head.
    public var fitSeconds: Double
    /// Solver iterations (L-BFGS iterations, or SVM passes summed over classes); nil for kNN.
    public var iterations: Int?
    /// Notes for the user (a solver that stopped before its tolerance).
    public var notes: [String]
}
