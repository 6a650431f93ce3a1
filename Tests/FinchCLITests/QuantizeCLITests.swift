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
