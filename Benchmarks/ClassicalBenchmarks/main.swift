// Finch's side of Benchmarks/run_classical.sh: the same train.csv / test.csv as scikit-learn's side,
// in-process timings (median of --repeat) of the features and of the fit, accuracy on test.csv.
//
//   ClassicalBenchmarks --dir DIR --name NAME [--analyzer word] [--ngram 1,1] [--embedder MODEL_DIR] [--repeat 3]
//
// Prints one JSON line per model, as Benchmarks/classical_reference.py does.
import FinchTrain
import FinchTransformers
import Foundation

func argument(_ name: String) -> String? {
    let args = CommandLine.arguments
    guard let i = args.firstIndex(of: name), i + 1 < args.count else { return nil }
    return args[i + 1]
}

func median(_ values: [Double]) -> Double {
    let s = values.sorted()
    return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
}

func timed<T>(_ count: Int, _ body: () throws -> T) rethrows -> (T, Double) {
    var times: [Double] = [], out: T? = nil
    for _ in 0..<count {
        let start = DispatchTime.now().uptimeNanoseconds
        out = try body()
        times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }
    return (out!, median(times))
}

let dir = URL(fileURLWithPath: argument("--dir")!)
let name = argument("--name")!
let repeatCount = Int(argument("--repeat") ?? "3")!
let train = try ClassificationReader().read(dir.appendingPathComponent("train.csv"))
let test = try ClassificationReader().read(dir.appendingPathComponent("test.csv"))
let labels = LabelSet(examples: train)
let ytr = try labels.ids(for: train, file: "train.csv"), yte = try labels.ids(for: test, file: "test.csv")

func report(_ features: String, _ head: String, columns: Int, predicted: [Int], featureSeconds: Double, fitSeconds: Double) {
    let accuracy = Double(zip(predicted, yte).filter { $0 == $1 }.count) / Double(yte.count)
    let line: [String: Any] = [
        "dataset": name, "features": features, "head": head, "side": "finch", "train": train.count, "columns": columns,
        "accuracy": accuracy, "feature_s": featureSeconds, "fit_s": fitSeconds,
    ]
    let data = try! JSONSerialization.data(withJSONObject: line, options: [.sortedKeys])
    print(String(decoding: data, as: UTF8.self))
}

if let embedderPath = argument("--embedder") {
    let embedder = try TextEmbedder(directory: URL(fileURLWithPath: embedderPath))
    func embed(_ texts: [String]) throws -> FeatureMatrix {
        let t = try embedder.embed(texts)
        return .dense(values: t.scalars.map(Double.init), rowCount: texts.count, columnCount: embedder.dimension)
    }
    let (xtr, embedSeconds) = try timed(1) { try embed(train.map(\.text)) }
    let xte = try embed(test.map(\.text))
    let (fit, fitSeconds) = try timed(repeatCount) { try LogisticRegression().fit(xtr, labels: ytr, classCount: labels.count) }
    report(
        "embeddings", "logistic", columns: xtr.columnCount, predicted: try fit.model.predict(xte), featureSeconds: embedSeconds,
        fitSeconds: fitSeconds)
} else {
    var configuration = TfidfConfiguration()
    configuration.analyzer = TextAnalyzer(rawValue: argument("--analyzer") ?? "word")!
    let ngram = (argument("--ngram") ?? "1,1").split(separator: ",").map { Int($0)! }
    configuration.ngramMin = ngram[0]
    configuration.ngramMax = ngram[1]
    let texts = train.map(\.text)
    let ((vectorizer, xtr), featureSeconds) = try timed(repeatCount) {
        try TfidfVectorizer.fitTransform(texts, configuration: configuration)
    }
    let xte = FeatureMatrix.sparse(vectorizer.transform(test.map(\.text)))
    let x = FeatureMatrix.sparse(xtr)
    let (logistic, logisticSeconds) = try timed(repeatCount) { try LogisticRegression().fit(x, labels: ytr, classCount: labels.count) }
    report(
        "tfidf", "logistic", columns: x.columnCount, predicted: try logistic.model.predict(xte), featureSeconds: featureSeconds,
        fitSeconds: logisticSeconds)
    let (svm, svmSeconds) = try timed(repeatCount) { try LinearSVC().fit(x, labels: ytr, classCount: labels.count) }
    report(
        "tfidf", "svm", columns: x.columnCount, predicted: try svm.model.predict(xte), featureSeconds: featureSeconds,
        fitSeconds: svmSeconds)
}
