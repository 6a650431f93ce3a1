import FinchSupport
import Foundation

/// What a model folder says about the model, for its card: `config.json`
/// (architecture, sizes, labels), `finch_task.json` (task, columns, length)
/// and the evaluations in `metrics.jsonl`.
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

    /// Reads the facts of the model folder `directory`.
    ///
    /// - Throws: `TaskError.invalidModelFile` naming a file that is not valid JSON.
    public static func read(from directory: URL) throws -> ModelFacts {
        let configURL = directory.appendingPathComponent("config.json")
        let config: [String: Any]
        do {
            config = try JSONSerialization.jsonObject(with: Data(contentsOf: configURL)) as? [String: Any] ?? [:]
        } catch {
            throw TaskError.invalidModelFile(file: configURL.path, reason: "cannot read it as JSON: \(error.localizedDescription)")
        }
        let id2label = config["id2label"] as? [String: String] ?? [:]
        let labels = id2label.keys.compactMap(Int.init).sorted().map { id2label[String($0)]! }
        var evaluations: [[String: Double]] = []
        let metricsURL = directory.appendingPathComponent("metrics.jsonl")
        if FileManager.default.fileExists(atPath: metricsURL.path) {
            let text = try String(contentsOf: metricsURL, encoding: .utf8)
            for (i, line) in text.split(separator: "\n").enumerated() {
                let parsed: Any
                do { parsed = try JSONSerialization.jsonObject(with: Data(line.utf8)) } catch {
                    throw TaskError.invalidModelFile(file: metricsURL.path, reason: "line \(i + 1) is not valid JSON")
                }
                guard let object = parsed as? [String: Any] else {
                    throw TaskError.invalidModelFile(file: metricsURL.path, reason: "line \(i + 1) is not a JSON object")
                }
                guard object["kind"] as? String == "eval" else { continue }
                var row: [String: Double] = [:]
                for (key, value) in object { if let number = value as? NSNumber, !(value is Bool) { row[key] = number.doubleValue } }
                evaluations.append(row)
            }
        }
        return ModelFacts(
            name: directory.standardizedFileURL.lastPathComponent, architecture: (config["architectures"] as? [String])?.first,
            modelType: config["model_type"] as? String, hiddenSize: config["hidden_size"] as? Int,
            layers: config["num_hidden_layers"] as? Int, vocabularySize: config["vocab_size"] as? Int, labels: labels,
            task: try TaskMetadata.read(from: directory), evaluations: evaluations)
    }

    /// The evaluation with the best accuracy (classifiers) or F1 (taggers), else the last one.
    public var bestEvaluation: [String: Double]? {
        let key = task.task == .classification ? "accuracy" : "f1"
        return evaluations.max { ($0[key] ?? -1, -($0["step"] ?? 0)) < ($1[key] ?? -1, -($1["step"] ?? 0)) } ?? evaluations.last
    }
}
