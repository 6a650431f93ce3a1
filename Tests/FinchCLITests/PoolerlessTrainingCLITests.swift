import FinchNN
import FinchTestSupport
import Foundation
import Testing

/// `finch train classify` on a checkpoint saved without a pooler (as
/// multilingual-e5 and paraphrase-MiniLM-L3 ship): it trains, says once that
/// it drew a new pooler, records it in config.json, and `--pooling cls|mean`
/// trains a head without one (issue 9 item 4).
@Suite struct PoolerlessTrainingCLITests {
    /// tiny-bert-wordpiece (weights and tokenizer) without `pooler.*`, in a temporary folder.
    static func poolerlessModel() throws -> URL {
        let source = TestSupport.fixtureURL("tiny-bert-wordpiece")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("finch-nopooler-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        for name in ["config.json", "vocab.txt", "tokenizer_config.json"] {
            try FileManager.default.copyItem(at: source.appendingPathComponent(name), to: dir.appendingPathComponent(name))
        }
        let tensors = try SafetensorsFile(contentsOf: source.appendingPathComponent("model.safetensors")).tensors()
        try Safetensors.write(tensors.filter { !$0.key.hasPrefix("pooler.") }, to: dir.appendingPathComponent("model.safetensors"))
        return dir
    }

    static func train(_ model: URL, _ extra: [String]) throws -> (Int32, String, String, URL) {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("finch-pooled-\(UUID().uuidString)")
        let (status, stdout, stderr) = try CLI.run(
            [
                "train", "classify", "--model", model.path, "--train", TestSupport.fixtureURL("tiny-sentiment.csv").path,
                "--out", out.path, "--epochs", "2", "--batch-size", "8", "--max-length", "16",
            ] + extra)
        return (status, stdout, stderr, out)
    }

    static func config(_ dir: URL) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("config.json"))) as? [String: Any])
    }

    @Test func trainsWithANewPoolerAndSaysSo() throws {
        let model = try Self.poolerlessModel()
        let (status, stdout, stderr, out) = try Self.train(model, [])
        defer { for d in [model, out] { try? FileManager.default.removeItem(at: d) } }
        #expect(status == 0, "\(stderr)")
        let notes = (stdout + stderr).components(separatedBy: "\n").filter { $0.contains("has no pooler") }
        #expect(notes.count == 1, "\(stdout)\n\(stderr)")
        #expect(notes.first?.contains("normal(0, 0.02²), zero bias; seed 42") == true)
        let config = try Self.config(out)
        #expect((config["finch_pooler_initialization"] as? String)?.contains("no pooler") == true)
        #expect(config["finch_classifier_pooling"] == nil)
        let saved = try SafetensorsFile(contentsOf: out.appendingPathComponent("model.safetensors"))
        #expect(saved.names.contains("bert.pooler.dense.weight"))
        let (ps, pout, perr) = try CLI.run(["predict", "--model", out.path], stdin: "the actor was very good\n")
        #expect(ps == 0 && pout.contains("\"label\""), "\(perr)")
    }

    @Test func clsPoolingTrainsWithoutAPooler() throws {
        let model = try Self.poolerlessModel()
        let (status, stdout, stderr, out) = try Self.train(model, ["--pooling", "cls"])
        defer { for d in [model, out] { try? FileManager.default.removeItem(at: d) } }
        #expect(status == 0, "\(stderr)")
        #expect(!(stdout + stderr).contains("has no pooler"))
        #expect(try Self.config(out)["finch_classifier_pooling"] as? String == "cls")
        let saved = try SafetensorsFile(contentsOf: out.appendingPathComponent("model.safetensors"))
        #expect(!saved.names.contains { $0.hasPrefix("bert.pooler.") })
        let (ps, _, perr) = try CLI.run(["predict", "--model", out.path], stdin: "the actor was very good\n")
        #expect(ps == 0, "\(perr)")
        let (bad, _, err) = try CLI.run(["train", "classify", "--model", model.path, "--train", "x.csv", "--out", "y", "--pooling", "max"])
        #expect(bad == 64 && err.contains("one of 'pooler', 'cls' or 'mean'"), "\(err)")
    }
}
