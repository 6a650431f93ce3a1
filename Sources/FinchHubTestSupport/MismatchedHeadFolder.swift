import FinchNN
import FinchTestSupport
import Foundation

/// Model folders whose task head disagrees with their `config.json`, built
/// from the tiny fixtures in a temporary directory (with the WordPiece
/// fixture's tokenizer, so `finch predict` and `evaluate` can run on them).
public enum MismatchedHeadFolder {
    /// What is wrong with the folder.
    public enum Defect: Sendable {
        /// `id2label` keeps only its first `labels` entries; the head keeps all its rows.
        case fewerLabelsThanHeadRows(labels: Int)
        /// A classifier `config.json` over weights without any `classifier.*` tensor.
        case noHeadTensors
        /// `classifier.bias` is left out.
        case noBias
    }

    /// Writes a copy of `fixture` (`tiny-bert-seqcls` or `tiny-bert-tokcls`)
    /// with `defect` into a new temporary folder and returns it.
    public static func make(from fixture: String, _ defect: Defect) throws -> URL {
        let source = TestSupport.fixtureURL(fixture)
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("finch-head-\(defect)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        var config = try require(
            JSONSerialization.jsonObject(with: Data(contentsOf: source.appendingPathComponent("config.json"))) as? [String: Any])
        var tensors = try SafetensorsFile(contentsOf: source.appendingPathComponent("model.safetensors")).tensors()
        switch defect {
        case .fewerLabelsThanHeadRows(let count):
            let names = try require(config["id2label"] as? [String: String])
            let kept = names.filter { Int($0.key).map { $0 < count } ?? false }
            config["id2label"] = kept
            config["label2id"] = Dictionary(uniqueKeysWithValues: kept.map { ($0.value, Int($0.key) ?? 0) })
        case .noHeadTensors:
            tensors = tensors.filter { !$0.key.hasPrefix("classifier.") }
        case .noBias:
            tensors["classifier.bias"] = nil
        }
        try JSONSerialization.data(withJSONObject: config, options: [.sortedKeys])
            .write(to: out.appendingPathComponent("config.json"))
        try Safetensors.write(tensors, to: out.appendingPathComponent("model.safetensors"))
        let tokenizer = TestSupport.fixtureURL("tiny-bert-wordpiece")
        for name in ["vocab.txt", "tokenizer_config.json"] {
            try FileManager.default.copyItem(at: tokenizer.appendingPathComponent(name), to: out.appendingPathComponent(name))
        }
        return out
    }

    /// Unwraps `value` or throws (this target does not link the testing library).
    private static func require<T>(_ value: T?) throws -> T {
        guard let value else { throw FixtureError.missing("a field of the fixture's config.json") }
        return value
    }
}
