import ArgumentParser
import FinchTrain
import FinchTransformers
import Foundation

/// The options of `finch train classify --head …`: the head, the features and
/// their settings, named after scikit-learn's parameters. Unset values take
/// scikit-learn's defaults; each is refused without `--head`.
struct ClassicalOptions: ParsableArguments {
    @Option(help: "Train a classical head instead of fine-tuning: logistic, svm or knn (seconds; no --model).")
    var head: ClassicalHeadKind?
    @Option(help: "With --head: tfidf (default) or embeddings (needs --embedder).") var features: ClassicalFeatureKind?
    @Option(help: "With --features embeddings: sentence embedder, a directory or hf:ORG/NAME[@revision]; copied into --out.")
    var embedder: String?
    @Option(name: .customLong("c"), help: "With --head logistic|svm: inverse regularization strength C (default 1).") var c: Double?
    @Option(help: "With --head knn: neighbours that vote (default 5).") var neighbors: Int?
    @Option(name: .customLong("knn-weights"), help: "With --head knn: uniform (default) or distance.")
    var knnWeights: KNeighborsClassifier.Weighting?
    @Option(help: "With --head logistic|svm: solver tolerance (default 1e-4).") var tol: Double?
    @Option(name: .customLong("max-iter"), help: "With --head logistic|svm: solver iteration limit (default 1000).") var maxIter: Int?
    @Option(help: "TF-IDF terms: word (default), char or char_wb.") var analyzer: TextAnalyzer?
    @Option(name: .customLong("ngram-range"), help: "TF-IDF n-gram range MIN,MAX (default 1,1).") var ngramRange: NGramRange?
    @Option(name: .customLong("min-df"), help: "TF-IDF: drop terms in fewer documents, a count (2) or a fraction (0.01); default 1.")
    var minDF: DocumentFrequencyLimit?
    @Option(name: .customLong("max-df"), help: "TF-IDF: drop terms in more documents, a count or a fraction; default 1.0.")
    var maxDF: DocumentFrequencyLimit?
    @Option(name: .customLong("max-features"), help: "TF-IDF: keep the N most frequent terms.") var maxFeatures: Int?
    @Flag(name: .customLong("sublinear-tf"), help: "TF-IDF: use 1 + ln(count) as the term frequency.") var sublinearTF = false

    /// The flags of this group that were given, for the checks against `--head` and `--features`.
    var given: [String] {
        var out: [String] = []
        if features != nil { out.append("--features") }
        if embedder != nil { out.append("--embedder") }
        if c != nil { out.append("--c") }
        if neighbors != nil { out.append("--neighbors") }
        if knnWeights != nil { out.append("--knn-weights") }
        if tol != nil { out.append("--tol") }
        if maxIter != nil { out.append("--max-iter") }
        out += tfidfGiven
        return out
    }

    /// The TF-IDF flags that were given.
    var tfidfGiven: [String] {
        var out: [String] = []
        if analyzer != nil { out.append("--analyzer") }
        if ngramRange != nil { out.append("--ngram-range") }
        if minDF != nil { out.append("--min-df") }
        if maxDF != nil { out.append("--max-df") }
        if maxFeatures != nil { out.append("--max-features") }
        if sublinearTF { out.append("--sublinear-tf") }
        return out
    }

    /// Checks the combination: classical flags need `--head`, each flag fits the head and features.
    func validate() throws {
        guard let head else {
            if let flag = given.first { throw ValidationError("\(flag) needs --head (logistic, svm or knn)") }
            return
        }
        let kind = features ?? .tfidf
        if kind == .embeddings && embedder == nil { throw ValidationError("--features embeddings needs --embedder DIR") }
        if kind == .tfidf, embedder != nil { throw ValidationError("--embedder is for --features embeddings") }
        if kind == .embeddings, let flag = tfidfGiven.first {
            throw ValidationError("\(flag) is a TF-IDF setting; --features is embeddings")
        }
        if head == .knn {
            let linearOnly = [("--c", c != nil), ("--tol", tol != nil), ("--max-iter", maxIter != nil)]
            if let hit = linearOnly.first(where: { $0.1 }) { throw ValidationError("\(hit.0) is for --head logistic or svm") }
        } else if neighbors != nil || knnWeights != nil {
            throw ValidationError("\(neighbors != nil ? "--neighbors" : "--knn-weights") is for --head knn")
        }
        if let embedder {
            do { _ = try ModelReference(parsing: embedder) } catch { throw ValidationError("--embedder: \(error.description)") }
        }
    }

    /// Checks the request's ranges with the command's files, before anything is read.
    func validate(trainFile: URL, out: URL) throws {
        do {
            try request(trainFile: trainFile, out: out, embedder: embedder.map { URL(fileURLWithPath: $0) }).validate()
        } catch let error as ClassicalError {
            throw ValidationError(Self.flagged(error))
        }
    }

    /// The library request (the embedder already resolved to a directory).
    func request(trainFile: URL, out: URL, embedder: URL?) -> ClassicalTrainingRequest {
        var r = ClassicalTrainingRequest(trainFile: trainFile, outputDirectory: out)
        r.head = head ?? .logistic
        r.features = features ?? .tfidf
        r.embedderDirectory = embedder
        if let c { r.c = c }
        if let neighbors { r.neighbors = neighbors }
        if let knnWeights { r.weighting = knnWeights }
        r.tolerance = tol
        r.maxIterations = maxIter
        if let analyzer { r.tfidf.analyzer = analyzer }
        if let ngramRange {
            r.tfidf.ngramMin = ngramRange.lower
            r.tfidf.ngramMax = ngramRange.upper
        }
        if let minDF { r.tfidf.minDF = minDF }
        if let maxDF { r.tfidf.maxDF = maxDF }
        r.tfidf.maxFeatures = maxFeatures
        r.tfidf.sublinearTF = sublinearTF
        return r
    }

    /// A library error about a setting, told with its flag.
    static func flagged(_ error: ClassicalError) -> String {
        guard case let .invalidSetting(name, reason) = error else { return error.description }
        let flags = [
            "C": "--c", "n_neighbors": "--neighbors", "tol": "--tol", "max_iter": "--max-iter", "ngram_range": "--ngram-range",
            "min_df": "--min-df", "max_df": "--max-df", "max_features": "--max-features", "max_length": "--max-length",
            "text_pair_column": "--text-pair-column", "embedder": "--embedder", "out": "--out",
        ]
        return "\(flags[name] ?? name) \(reason)"
    }
}

/// `--ngram-range MIN,MAX`.
struct NGramRange: ExpressibleByArgument {
    let lower: Int
    let upper: Int

    init?(argument: String) {
        let parts = argument.split(separator: ",", omittingEmptySubsequences: false).map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard parts.count == 2, let a = parts[0], let b = parts[1] else { return nil }
        lower = a
        upper = b
    }
}

extension ClassicalHeadKind: ExpressibleByArgument {}
extension ClassicalFeatureKind: ExpressibleByArgument {}
extension KNeighborsClassifier.Weighting: ExpressibleByArgument {}
extension TextAnalyzer: ExpressibleByArgument {}
extension DocumentFrequencyLimit: ExpressibleByArgument {
    public init?(argument: String) { self.init(parsing: argument) }
}
