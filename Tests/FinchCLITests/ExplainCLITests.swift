import FinchTestSupport
import Foundation
import Testing

/// `finch explain` end to end on the tiny random classifier and tagger
/// (with the WordPiece fixture's vocabulary).
@Suite struct ExplainCLITests {
    /// A copy of `fixture` with the WordPiece tokenizer files, in a new temporary folder.
    static func folder(_ fixture: String) throws -> URL {
        let fm = FileManager.default
        let dir = fm.temporaryDirectory.appendingPathComponent("finch-explain-cli-\(UUID().uuidString)")
        try fm.createDirectory(at: dir, withIntermediateDirectories: true)
        for file in ["config.json", "model.safetensors"] {
            try fm.copyItem(at: TestSupport.fixtureURL(fixture).appendingPathComponent(file), to: dir.appendingPathComponent(file))
        }
        for file in ["vocab.txt", "tokenizer_config.json"] {
            try fm.copyItem(
                at: TestSupport.fixtureURL("tiny-bert-wordpiece").appendingPathComponent(file), to: dir.appendingPathComponent(file))
        }
        return dir
    }

    @Test func jsonHasWordsOffsetsSpecialTokensAndDelta() throws {
        let dir = try Self.folder("tiny-bert-seqcls")
        defer { try? FileManager.default.removeItem(at: dir) }
        let (status, out, err) = try CLI.run(["explain", "--model", dir.path, "--steps", "64", "the", "movie", "was", "very", "good"])
        #expect(status == 0, "\(err)")
        let lines = out.split(separator: "\n")
        #expect(lines.count == 1)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        #expect(["negative", "neutral", "positive"].contains(json["label"] as? String ?? ""))
        let words = try #require(json["attributions"] as? [[String: Any]])
        #expect(words.map { $0["word"] as? String } == ["the", "movie", "was", "very", "good"])
        #expect(words.map { $0["start"] as? Int } == [0, 4, 10, 14, 19])
        #expect(words.map { $0["end"] as? Int } == [3, 9, 13, 18, 23])
        let special = try #require(json["special"] as? [[String: Any]])
        #expect(special.map { $0["token"] as? String } == ["[CLS]", "[SEP]"])
        let delta = try #require(json["delta"] as? Double)
        #expect(abs(delta) < 1e-3)
        // Completeness: the attributions add up to the change of the output (plus delta).
        let total = words.reduce(0.0) { $0 + ($1["attribution"] as? Double ?? .nan) }
        #expect(total.isFinite && json["steps"] as? Int == 64 && json["baseline"] as? String == "pad")
    }

    @Test func occlusionAndHTML() throws {
        let dir = try Self.folder("tiny-bert-seqcls")
        defer { try? FileManager.default.removeItem(at: dir) }
        let (status, out, err) = try CLI.run(["explain", "--model", dir.path, "--method", "occlusion", "--format", "html", "bad & boring"])
        #expect(status == 0, "\(err)")
        #expect(out.hasPrefix("<!DOCTYPE html>") && out.contains("occlusion, words replaced by [MASK]"))
        #expect(out.contains(">bad</span> <span") && out.contains(">&amp;</span>") && out.contains("<svg"))
    }

    @Test func taggerWritesOneLinePerEntity() throws {
        let dir = try Self.folder("tiny-bert-tokcls")
        defer { try? FileManager.default.removeItem(at: dir) }
        let (status, out, err) = try CLI.run(
            ["explain", "--model", dir.path, "--steps", "8", "john smith visited paris and met mary in london"])
        #expect(status == 0, "\(err)")
        let (predictStatus, predicted, _) = try CLI.run(
            ["predict", "--model", dir.path], stdin: "john smith visited paris and met mary in london\n")
        #expect(predictStatus == 0)
        let entities = try #require(
            (try JSONSerialization.jsonObject(with: Data(predicted.utf8)) as? [String: Any])?["entities"] as? [[String: Any]])
        let lines = out.split(separator: "\n")
        #expect(lines.count == entities.count)
        for (line, entity) in zip(lines, entities) {
            let json = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let span = try #require(json["entity"] as? [String: Any])
            #expect(json["label"] as? String == entity["label"] as? String)
            #expect(span["start"] as? Int == entity["start"] as? Int && span["end"] as? Int == entity["end"] as? Int)
        }
    }

    @Test func badArgumentsAreRefused() throws {
        let dir = try Self.folder("tiny-bert-seqcls")
        defer { try? FileManager.default.removeItem(at: dir) }
        let (zero, _, zeroErr) = try CLI.run(["explain", "--model", dir.path, "--steps", "0", "good"])
        #expect(zero == 64 && zeroErr.contains("--steps must be at least 1"), "\(zeroErr)")
        let (label, _, labelErr) = try CLI.run(["explain", "--model", dir.path, "--label", "joy", "good"])
        #expect(label == 1 && labelErr.contains("label: joy is not one of the model's labels (negative, neutral, positive)"), "\(labelErr)")
    }
}
