import FinchSupport
import Foundation

/// What a model folder says about the model, for its card: `config.json`
/// (architecture, sizes, labels), `finch_task.json` (task, columns, length)
/// and the evaluations in `metrics.jsonl`; for a classical classifier
/// (`finch train classify --head`), `finch_classical.json` instead of the first two.
public struct ModelFacts: Sendable, Equatable {
    /// The folder's last path component.
    public var name: String
    /// `architectures[0]` of `config.json`.
    public var architecture: String?
    /// `model_type` of `config.json`.
    public var modelType: String?
    /// `hidden_size`, `num_hidden_layers`, `vocab_size` (nil when absent).
    public var hiddenSize: Int?, layers: Int?, vocabularySize: Int?
    /// Labels in id order.
    public var labels: [String]
    /// The task (`finch_task.json`, or inferred from the architecture).
    public var task: TaskMetadata
    /// The evaluation records of `metrics.jsonl`, in file order (metric name → value; `step`, `epoch` included).
    public var evaluations: [[String: Double]]
    /// For a classical classifier, its features and head in words (`TF-IDF features, logistic regression head`); nil otherwise.
    public var classical: String? = nil
    /// For an image classifier (`finch train image`), its input in words (`8x8 gray images,
    /// normalised with mean …`); nil otherwise.
    public var imageInput: String? = nil

    /// Reads the facts of the model folder `directory`.
    ///
    /// - Throws: `TaskError.invalidModelFile` naming a file that is not valid JSON.
    public static func read(from directory: URL) throws -> ModelFacts {
        if ClassicalClassifier.isClassifier(at: directory) { return try readClassical(from: directory) }
        if ImageClassifierConfig.isImageClassifier(at: directory) { return try readImage(from: directory) }
        let configURL = directory.appendingPathComponent("config.json")
        let config: [String: Any]
        do {
            config = try JSONSerialization.jsonObject(with: Data(contentsOf: configURL)) as? [String: Any] ?? [:]
        } catch {
            throw TaskError.invalidModelFile(file: configURL.path, reason: "cannot read it as JSON: \(error.localizedDescription)")
        }
        let id2label = config["id2label"] as? [String: String] ?? [:]
        let labels = id2label.keys.compactMap(Int.init).sorted().map { id2label[String($0)]! }
        return ModelFacts(
            name: directory.standardizedFileURL.lastPathComponent, architecture: (config["architectures"] as? [String])?.first,
            modelType: config["model_type"] as? String, hiddenSize: config["hidden_size"] as? Int,
            layers: config["num_hidden_layers"] as? Int, vocabularySize: config["vocab_size"] as? Int, labels: labels,
            task: try TaskMetadata.read(from: directory), evaluations: try evaluations(in: directory))
    }

    /// The facts of a classical classifier's folder.
    static func readClassical(from directory: URL) throws -> ModelFacts {
        let url = directory.appendingPathComponent(ClassicalClassifier.fileName)
        let stored = try TaskError.decodeModelFile(ClassicalClassifier.Stored.self, at: url)
        let features: String, head: String
        switch stored.features {
        case .tfidf(let v): features = "TF-IDF features (\(v.featureCount) terms)"
        case .embeddings(let folder, _): features = "sentence-embedding features (`\(folder)/`)"
        }
        switch stored.head.kind {
        case .logistic: head = "logistic regression head"
        case .svm: head = "linear SVM head"
        case .knn: head = "k-nearest-neighbours head"
        }
        var task = TaskMetadata(task: .classification, maxLength: 0)
        task.textColumn = stored.textColumn
        task.labelColumn = stored.labelColumn
        return ModelFacts(
            name: directory.standardizedFileURL.lastPathComponent, architecture: "\(features), \(head)", modelType: nil,
            hiddenSize: nil, layers: nil, vocabularySize: nil, labels: stored.labels, task: task,
            evaluations: try evaluations(in: directory), classical: "\(features), \(head)")
    }

    /// The facts of an image classifier's folder (`config.json` of `finch train image`).
    static func readImage(from directory: URL) throws -> ModelFacts {
        let config = try TaskError.decodeModelFile(
            ImageClassifierConfig.self, at: directory.appendingPathComponent(ImageClassifierConfig.fileName))
        let p = config.preprocessing
        let numbers = { (v: [Float]) in v.map { String(format: "%.4f", $0) }.joined(separator: ", ") }
        let input =
            "\(p.height)x\(p.width) \(p.colorMode.rawValue) images, normalised with mean [\(numbers(p.mean))] and std [\(numbers(p.std))]"
        return ModelFacts(
            name: directory.standardizedFileURL.lastPathComponent, architecture: config.architecture.rawValue, modelType: nil,
            hiddenSize: nil, layers: nil, vocabularySize: nil, labels: config.classes,
            task: TaskMetadata(task: .classification, maxLength: 0), evaluations: try evaluations(in: directory), classical: nil,
            imageInput: input)
    }

    /// The evaluation records of `metrics.jsonl` in `directory` (none when the file is absent).
    static func evaluations(in directory: URL) throws -> [[String: Double]] {
        var evaluations: [[String: Double]] = []
        let metricsURL = directory.appendingPathComponent("metrics.jsonl")
        if FileManager.default.fileExists(atPath: metricsURL.path) {
            let text = try String(contentsOf: metricsURL, encoding: .utf8)
            for (i, line) in text.split(separator: "\n").enumerated() {
                // Read with JSONValue, not JSONSerialization: on Linux the latter gives 0 and 1 as booleans, and a metric of 1.0 was lost.
                let object: [String: JSONValue]
                do { object = try JSONDecoder().decode([String: JSONValue].self, from: Data(line.utf8)) } catch {
                    do { _ = try JSONSerialization.jsonObject(with: Data(line.utf8), options: [.fragmentsAllowed]) } catch {
                        throw TaskError.invalidModelFile(file: metricsURL.path, reason: "line \(i + 1) is not valid JSON")
                    }
                    throw TaskError.invalidModelFile(file: metricsURL.path, reason: "line \(i + 1) is not a JSON object")
                }
                guard object["kind"] == .string("eval") else { continue }
                var row: [String: Double] = [:]
                for (key, value) in object {
                    switch value {
                    case .int(let n): row[key] = Double(n)
                    case .double(let x): row[key] = x
                    default: break
                    }
                }
                evaluations.append(row)
            }
        }
        return evaluations
    }

    /// The evaluation with the best accuracy (classifiers) or F1 (taggers), else the last one.
    public var bestEvaluation: [String: Double]? {
        let key = task.task == .classification ? "accuracy" : "f1"
        return evaluations.max { ($0[key] ?? -1, -($0["step"] ?? 0)) < ($1[key] ?? -1, -($1["step"] ?? 0)) } ?? evaluations.last
    }
}
