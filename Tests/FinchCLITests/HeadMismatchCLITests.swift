import FinchHubTestSupport
import FinchTestSupport
import Foundation
import Testing

/// `finch predict` and `finch evaluate` on model folders whose head disagrees
/// with `config.json`: exit 1, one message naming the tensor and the config
/// key, nothing on stdout (issue 10 item 1: they used to answer with a random head).
@Suite struct HeadMismatchCLITests {
    static let sentences = "the actor was very good\nthe film is awful\n"

    func expectRefused(_ dir: URL, naming words: [String]) throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        let before = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
        let (ps, pout, perr) = try CLI.run(["predict", "--model", dir.path], stdin: Self.sentences)
        #expect(ps == 1, "predict exit \(ps): \(perr)")
        #expect(pout.isEmpty)
        for word in words { #expect(perr.contains(word), "predict: \(perr)") }
        let data = TestSupport.fixtureURL("tiny-sentiment-test.csv").path
        let (es, eout, eerr) = try CLI.run(["evaluate", "--model", dir.path, "--data", data])
        #expect(es == 1, "evaluate exit \(es): \(eerr)")
        #expect(eout.isEmpty)
        for word in words { #expect(eerr.contains(word), "evaluate: \(eerr)") }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == before)
    }

    @Test func classifierWhoseLabelsDisagreeWithItsHead() throws {
        try expectRefused(
            try MismatchedHeadFolder.make(from: "tiny-bert-seqcls", .fewerLabelsThanHeadRows(labels: 2)),
            naming: ["classifier.weight", "[3, 32]", "id2label", "2 rows"])
    }

    @Test func classifierConfigOverBaseWeights() throws {
        try expectRefused(
            try MismatchedHeadFolder.make(from: "tiny-bert-seqcls", .noHeadTensors),
            naming: ["no tensor `classifier.weight`", "id2label", "3 labels"])
    }

    @Test func taggerWhoseLabelsDisagreeWithItsHead() throws {
        let dir = try MismatchedHeadFolder.make(from: "tiny-bert-tokcls", .fewerLabelsThanHeadRows(labels: 4))
        defer { try? FileManager.default.removeItem(at: dir) }
        let (status, out, err) = try CLI.run(["predict", "--model", dir.path], stdin: "John visited London\n")
        #expect(status == 1 && out.isEmpty)
        #expect(err.contains("classifier.weight") && err.contains("[5, 32]") && err.contains("id2label"), "\(err)")
        let data = TestSupport.fixtureURL("tiny-ner.bio").path
        let (es, _, eerr) = try CLI.run(["evaluate", "--model", dir.path, "--data", data])
        #expect(es == 1 && eerr.contains("classifier.weight"), "\(eerr)")
    }
}
