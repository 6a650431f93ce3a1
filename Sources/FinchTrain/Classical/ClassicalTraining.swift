import FinchSupport
import FinchTransformers
import Foundation

/// The recipe behind `finch train classify --head`: check the request,
/// read the data as fine-tuning does (same hold-out), make features, fit
/// the head, evaluate on the development part, and write the classifier
/// folder (`ClassicalClassifier`) with `metrics.jsonl`.
public enum ClassicalTraining {
    /// Trains and saves a classical classifier. Events: stage `features`
    /// (training features ready), `fit` (head fitted), `evaluate`.
    public static func classify(
        _ r: ClassicalTrainingRequest, events: (ProgressEvent) -> Void = { _ in }
    ) throws -> ClassicalTrainingResult {
        try r.validate()
        let start = Date()
        func report(_ stage: String) {
            events(ProgressEvent(stage: stage, step: 1, stepCount: 1, elapsedSeconds: Date().timeIntervalSince(start)))
        }
        let embedder = try r.embedderDirectory.map { try TextEmbedder(directory: $0, maxLength: r.maxLength) }
        let lock = try OutputFolderLock(r.outputDirectory)
        defer { withExtendedLifetime(lock) {} }
        let data = try TaskData<ClassificationExample>.load(
            train: r.trainFile, dev: r.devFile, reader: ClassificationReader(columns: r.columns), seed: r.seed, holdOutFraction: r.holdOut)
        if data.labels.count < 2 {
            throw TrainingError.singleLabel(file: r.trainFile.relativePath, label: data.labels.labels.first ?? "")
        }
        let y = try data.labels.ids(for: data.train, file: r.trainFile.relativePath)
        let texts = data.train.map(\.text)

        let featureStart = Date()
        let features: ClassicalFeatures, x: FeatureMatrix
        switch r.features {
        case .tfidf:
            let (vectorizer, m) = try TfidfVectorizer.fitTransform(texts, configuration: r.tfidf)
            features = .tfidf(vectorizer)
            x = .sparse(m)
        case .embeddings:
            features = .embeddings(folder: ClassicalClassifier.embedderFolder, maxLength: r.maxLength)
            x = try ClassicalClassifier.embeddings(texts, embedder!)
        }
        let featureSeconds = Date().timeIntervalSince(featureStart)
        report("features")

        let fitStart = Date()
        let (head, iterations, converged) = try fitHead(r, x: x, y: y, classCount: data.labels.count)
        let fitSeconds = Date().timeIntervalSince(fitStart)
        report("fit")
        var notes: [String] = []
        if !converged, let iterations {
            notes.append(
                "the \(r.head.rawValue) solver stopped after \(iterations) iterations before reaching its tolerance; raise --max-iter")
        }

        let stored = ClassicalClassifier.Stored(
            format: ClassicalClassifier.formatMarker, version: 1, labels: data.labels.labels, textColumn: r.columns.text,
            labelColumn: r.columns.label, features: features, head: head)
        let classifier = ClassicalClassifier(stored: stored, embedder: embedder)
        let devName = r.devFile?.relativePath ?? r.trainFile.relativePath
        let evaluation = try classifier.evaluate(data.dev, file: devName)
        report("evaluate")

        if let source = r.embedderDirectory {
            try copyEmbedder(from: source, to: r.outputDirectory.appendingPathComponent(ClassicalClassifier.embedderFolder))
        }
        try classifier.save(to: r.outputDirectory)
        let log = MetricsLog(url: r.outputDirectory.appendingPathComponent("metrics.jsonl"))
        try log.reset()
        try log.append(MetricsRecord(kind: .eval, step: 1, epoch: 1, values: evaluation.metrics))
        return ClassicalTrainingResult(
            development: data.devSource, trainExamples: data.train.count, featureCount: x.columnCount, labels: data.labels.labels,
            evaluation: evaluation, featureSeconds: featureSeconds, fitSeconds: fitSeconds, iterations: iterations, notes: notes)
    }

    /// Fits the requested head; returns it with the solver's iterations (nil for kNN) and whether it converged.
    static func fitHead(
        _ r: ClassicalTrainingRequest, x: FeatureMatrix, y: [Int], classCount: Int
    ) throws -> (ClassicalHead, Int?, Bool) {
        switch r.head {
        case .logistic:
            var lr = LogisticRegression()
            lr.c = r.c
            if let t = r.tolerance { lr.tolerance = t }
            if let m = r.maxIterations { lr.maxIterations = m }
            let fit = try lr.fit(x, labels: y, classCount: classCount)
            return (.logistic(fit.model), fit.iterations, fit.converged)
        case .svm:
            var svm = LinearSVC()
            svm.c = r.c
            svm.seed = r.seed
            if let t = r.tolerance { svm.tolerance = t }
            if let m = r.maxIterations { svm.maxIterations = m }
            let fit = try svm.fit(x, labels: y, classCount: classCount)
            return (.svm(fit.model), fit.iterations, fit.converged)
        case .knn:
            guard r.neighbors <= x.rowCount else {
                throw ClassicalError.invalidSetting(
                    name: "n_neighbors", reason: "\(r.neighbors) is more than the \(x.rowCount) training examples")
            }
            let knn = try KNeighborsClassifier(
                fitting: x, labels: y, classCount: classCount, neighborCount: r.neighbors, weighting: r.weighting)
            return (.knn(knn), nil, true)
        }
    }

    /// Copies the embedder's folder into the classifier's, so the classifier works on its own.
    static func copyEmbedder(from source: URL, to destination: URL) throws {
        try AtomicDirectory.replace(destination) { temporary in
            let fm = FileManager.default
            do {
                for name in try fm.contentsOfDirectory(atPath: source.path) where !name.hasPrefix(".") {
                    try fm.copyItem(at: source.appendingPathComponent(name), to: temporary.appendingPathComponent(name))
                }
            } catch {
                throw FileWriteError.cannotWrite(path: destination.path, reason: SystemReason.describe(error))
            }
        }
    }
}
