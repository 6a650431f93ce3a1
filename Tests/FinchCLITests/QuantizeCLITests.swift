import FinchTestSupport
import Foundation
import Testing

/// `finch quantize`: the int8 copy of an embedder, its report, the refusal
/// when the checks fail, and `finch embed` running the int8 copy.
@Suite struct QuantizeCLITests {
    static func embeddings(_ model: String, _ texts: String) throws -> [[Double]] {
        let (status, out, err) = try CLI.run(["embed", "--model", model], stdin: texts)
        #expect(status == 0, "\(err)")
        return try out.split(separator: "\n").map { line in
            try #require((try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["embedding"] as? [Double])
        }
    }

    @Test func writesAnInt8CopyThatEmbedRuns() throws {
        let model = try tinyEmbedderFolder()
        let out = model.deletingLastPathComponent().appendingPathComponent("finch-int8-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: out) }
        // The tiny model is too small for int8 to be faster: --force writes it anyway and says so.
        let (status, stdout, err) = try CLI.run(["quantize", "--model", model.path, "--out", out.path, "--force", "--json"])
        #expect(status == 0, "\(err)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(stdout.utf8)) as? [String: Any])
        let cosine = try #require(report["mean_cosine"] as? Double)
        #expect(cosine > 0.99 && cosine <= 1.000001, "mean cosine \(cosine)")
        #expect(report["texts"] as? Int == 8 && report["scheme"] as? String == "dynamic-int8")
        let card = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("quantization.json")))
                as? [String: Any])
        #expect(card["mean_cosine"] as? Double == cosine)
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("model.int8.safetensors").path))
        // The float weights are copied unchanged.
        let original = try Data(contentsOf: model.appendingPathComponent("model.safetensors"))
        #expect(try Data(contentsOf: out.appendingPathComponent("model.safetensors")) == original)

        let texts = "the quick brown fox\njumps over the lazy dog\n"
        let float = try Self.embeddings(model.path, texts), int8 = try Self.embeddings(out.path, texts)
        #expect(float.count == 2 && int8.count == 2)
        for (a, b) in zip(float, int8) {
            let dot = zip(a, b).map { $0 * $1 }.reduce(0, +)
            let cos = dot / (a.map { $0 * $0 }.reduce(0, +) * b.map { $0 * $0 }.reduce(0, +)).squareRoot()
            #expect(cos > 0.99 && a != b, "embed on the int8 copy: cosine \(cos) to float (identical: \(a == b))")
        }
    }

    @Test func refusesWhenTheChecksFailAndWritesNothing() throws {
        let model = try tinyEmbedderFolder()
        let out = model.deletingLastPathComponent().appendingPathComponent("finch-int8-\(UUID().uuidString)")
        let (status, _, err) = try CLI.run(["quantize", "--model", model.path, "--out", out.path, "--min-cosine", "1"])
        #expect(status == 1)
        #expect(err.contains("refusing to write") && err.contains("--force"), "\(err)")
        #expect(!FileManager.default.fileExists(atPath: out.path))
        let (bad, _, badErr) = try CLI.run(["quantize", "--model", model.path, "--out", out.path, "--min-cosine", "2"])
        #expect(bad == 64 && badErr.contains("--min-cosine must be between 0 and 1"))
    }
}

/// `finch quantize` on a fine-tuned classifier: the report with accuracy
/// before and after, the int8 copy's card, `finch predict` running int8, and
/// a second quantization of the copy refused.
@Suite struct QuantizeClassifierCLITests {
    @Test func writesAnInt8ClassifierWithItsAccuracyReportAndCard() throws {
        let model = try tinyClassifierFolder()
        let root = model.deletingLastPathComponent()
        let out = root.appendingPathComponent("finch-int8-\(UUID().uuidString)")
        let data = root.appendingPathComponent("finch-int8-eval-\(UUID().uuidString).csv")
        defer { for url in [model, out, data] { try? FileManager.default.removeItem(at: url) } }
        let rows = ["a fine film,positive", "a dull and long film,negative", "the cast was great,positive", "nothing worked,negative"]
        try (["text,label"] + rows).joined(separator: "\n").appending("\n").write(to: data, atomically: true, encoding: .utf8)

        let (status, stdout, err) = try CLI.run(
            ["quantize", "--model", model.path, "--out", out.path, "--eval", data.path, "--force", "--json"])
        #expect(status == 0, "\(err)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(stdout.utf8)) as? [String: Any])
        #expect(report["texts"] as? Int == 4 && report["metric"] as? String == "accuracy")
        let float = try #require(report["float_metric"] as? Double), int8 = try #require(report["int8_metric"] as? Double)
        #expect((0...1).contains(float) && (0...1).contains(int8))
        let agreement = try #require(report["agreement"] as? Double)
        #expect((0.5...1).contains(agreement), "agreement \(agreement)")
        #expect(report["mean_cosine"] == nil)
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("model.int8.safetensors").path))
        let card = try String(contentsOf: out.appendingPathComponent("README.md"), encoding: .utf8)
        #expect(card.contains("Int8 copy") && card.contains("int8 accuracy"), "\(card)")

        let input = "a fine film\nnothing worked\n"
        let (fs, floatOut, fErr) = try CLI.run(["predict", "--model", model.path], stdin: input)
        let (qs, int8Out, qErr) = try CLI.run(["predict", "--model", out.path], stdin: input)
        #expect(fs == 0 && qs == 0, "\(fErr)\(qErr)")
        #expect(int8Out.split(separator: "\n").count == 2 && int8Out != floatOut, "int8 predictions equal float: \(int8Out)")

        let again = root.appendingPathComponent("finch-int8-\(UUID().uuidString)")
        let (twice, _, twiceErr) = try CLI.run(["quantize", "--model", out.path, "--out", again.path, "--force"])
        #expect(twice != 0 && twiceErr.contains("already an int8 copy"), "\(twiceErr)")
        #expect(!FileManager.default.fileExists(atPath: again.path))
    }

    @Test func rejectsAMaxDropOutsideItsRange() throws {
        let model = try tinyClassifierFolder()
        defer { try? FileManager.default.removeItem(at: model) }
        let out = model.deletingLastPathComponent().appendingPathComponent("finch-int8-\(UUID().uuidString)")
        let (status, _, err) = try CLI.run(["quantize", "--model", model.path, "--out", out.path, "--max-drop=-1"])
        #expect(status == 64 && err.contains("--max-drop must be between 0 and 100"), "\(err)")
    }
}
