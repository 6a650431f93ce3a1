import FinchNN
import FinchTensor
import Foundation

/// A task head as a checkpoint folder holds it: the `classifier.*` tensors
/// and the labels `config.json` declares, checked against each other when
/// the folder is read, so a head never silently becomes a random one.
struct StoredHead {
    /// The stored classifier layer; nil when the checkpoint has no `classifier.*` tensors.
    var classifier: Linear?
    /// `id2label` in id order, defaults (`LABEL_0`, …) included; nil when absent.
    var declaredLabels: [String]?
    /// `id2label` when it names real labels (not only the defaults).
    var labels: [String]?
    /// The weights file and `config.json` (for errors).
    var weightsPath: String
    var configPath: String

    static let weightKey = "classifier.weight"
    static let biasKey = "classifier.bias"

    /// Reads and checks the head of `file` against `config`: both tensors or
    /// neither, weight [labels, hidden] and bias [labels], with as many rows
    /// as `id2label` has labels.
    init(file: SafetensorsFile, config: BertConfig, configPath: String) throws {
        weightsPath = file.url.path
        self.configPath = configPath
        let names = Set(file.names)
        let hasWeight = names.contains(Self.weightKey), hasBias = names.contains(Self.biasKey)
        labels = TaskHeadCheckpoint.labels(in: config)
        declaredLabels = try Self.declaredLabels(config, path: configPath)
        guard hasWeight || hasBias else { return }
        guard hasWeight && hasBias else {
            throw TaskHeadError.incompleteHead(path: weightsPath, missing: hasWeight ? Self.biasKey : Self.weightKey)
        }
        let weight = try file.tensor(named: Self.weightKey), bias = try file.tensor(named: Self.biasKey)
        guard weight.rank == 2, weight.shape[1] == config.hiddenSize else {
            throw TaskHeadError.headMismatch(
                path: weightsPath, tensor: Self.weightKey, shape: weight.shape, configKey: "hidden_size",
                expected: "\(config.hiddenSize) columns")
        }
        guard bias.shape == [weight.shape[0]] else {
            throw TaskHeadError.headMismatch(
                path: weightsPath, tensor: Self.biasKey, shape: bias.shape, configKey: Self.weightKey,
                expected: "\(weight.shape[0]) values, one per row of \(Self.weightKey)")
        }
        if let declared = declaredLabels, declared.count != weight.shape[0] {
            throw TaskHeadError.headMismatch(
                path: weightsPath, tensor: Self.weightKey, shape: weight.shape, configKey: "id2label",
                expected: "\(declared.count) rows, one per label")
        }
        classifier = Linear(weight: weight, bias: bias)
    }

    /// The labels and classifier for a head asked for `requested` labels (nil:
    /// the stored head, as prediction and evaluation use it). The stored layer
    /// is kept when no labels are asked for or they equal the stored ones; a
    /// new one (nil here) is drawn otherwise. Asking for the stored head of a
    /// folder that has none, or none with labels, is an error.
    func resolve(requested: [String]?) throws -> (labels: [String], classifier: Linear?) {
        guard let requested else {
            guard let classifier else {
                throw TaskHeadError.missingHead(
                    path: weightsPath, tensor: Self.weightKey,
                    declared: declaredLabels.map { "config.json `id2label` lists \($0.count) labels" }
                        ?? "config.json has no `id2label`")
            }
            guard let declaredLabels else {
                throw TaskHeadError.headMismatch(
                    path: weightsPath, tensor: Self.weightKey, shape: classifier.weight.shape, configKey: "id2label",
                    expected: "labels for its \(classifier.weight.shape[0]) rows (config.json has no `id2label`)")
            }
            return (declaredLabels, classifier)
        }
        if let classifier, requested == labels { return (requested, classifier) }
        return (requested, nil)
    }

    /// `id2label` in id order; its ids must be 0…n−1.
    private static func declaredLabels(_ config: BertConfig, path: String) throws -> [String]? {
        guard let map = config.id2label, !map.isEmpty else { return nil }
        var names = [String?](repeating: nil, count: map.count)
        for (key, name) in map {
            guard let id = Int(key), id >= 0, id < map.count, names[id] == nil else {
                throw TaskHeadError.invalidLabelMap(path: path, key: key, count: map.count)
            }
            names[id] = name
        }
        return names.compactMap { $0 }  // every slot is filled: n distinct ids below n
    }
}
